import type { CounterSet } from './counterSet';
import { binQuantiles } from './latencyBins';

export interface MetricsSummary {
	calls: number;
	items: number;
	errors: number;
	/** errors / calls, 0..1; null without calls. */
	errorRate: number | null;
	errorsByClass: Record<string, number>;
	latencyMs: { avg: number | null; p50: number | null; p90: number | null; p95: number | null; p99: number | null };
	cache: {
		hits: number;
		misses: number;
		coalesced: number;
		similar: number;
		bypass: number;
		/** Calls answered without their own upstream work (hit, coalesced, similar) among those that used the cache; null when none did. */
		hitRate: number | null;
	};
	tokens: { in: number; out: number; saved: number };
	cost: { usd: number; savedUsd: number; unpricedCalls: number };
	bytes: { raw: number; compressed: number; savedPct: number | null };
	retries: number;
	/** Calls per minute over the window; null for all-time totals, which have no window. */
	throughputPerMin: number | null;
}

const QUANTILES = [0.5, 0.9, 0.95, 0.99] as const;

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const ratio = (part: number, whole: number) => (whole > 0 ? round(part / whole, 4) : null);

/** A readable view of a counter set, as nodes put it in their output. */
export function summarize(counters: CounterSet, windowMinutes?: number): MetricsSummary {
	const [p50, p90, p95, p99] = binQuantiles(counters.latency, QUANTILES).map((value) =>
		value === null ? null : round(value),
	);
	const served = counters.hits + counters.coalesced + counters.similar;
	return {
		calls: counters.calls,
		items: counters.items,
		errors: counters.errors,
		errorRate: ratio(counters.errors, counters.calls),
		errorsByClass: { ...counters.errorsByClass },
		latencyMs: {
			avg: counters.calls > 0 ? round(counters.durationMsSum / counters.calls) : null,
			p50,
			p90,
			p95,
			p99,
		},
		cache: {
			hits: counters.hits,
			misses: counters.misses,
			coalesced: counters.coalesced,
			similar: counters.similar,
			bypass: counters.bypass,
			hitRate: ratio(served, served + counters.misses),
		},
		tokens: { in: counters.tokensIn, out: counters.tokensOut, saved: counters.tokensSaved },
		cost: { usd: round(counters.costUsd, 6), savedUsd: round(counters.costSavedUsd, 6), unpricedCalls: counters.unpriced },
		bytes: {
			raw: counters.bytesRaw,
			compressed: counters.bytesCompressed,
			savedPct: counters.bytesRaw > 0 ? round((1 - counters.bytesCompressed / counters.bytesRaw) * 100, 2) : null,
		},
		retries: counters.retries,
		throughputPerMin: windowMinutes && windowMinutes > 0 ? round(counters.calls / windowMinutes, 3) : null,
	};
}

/** One operation in a component's breakdown: a unit of work, or a sub-operation such as a queue wait or one step. */
export interface OperationSummary {
	/** Whether these calls are the component's units of work (and so counted in its `calls`). */
	unitOfWork: boolean;
	calls: number;
	items: number;
	errors: number;
	latencyMs: MetricsSummary['latencyMs'];
	/** Summed duration of the operation's calls. */
	totalMs: number;
	/** Present when the operation used a cache. */
	cache?: MetricsSummary['cache'];
}

export function summarizeOperation(counters: CounterSet, unitOfWork: boolean): OperationSummary {
	const summary = summarize(counters);
	const operation: OperationSummary = {
		unitOfWork,
		calls: summary.calls,
		items: summary.items,
		errors: summary.errors,
		latencyMs: summary.latencyMs,
		totalMs: round(counters.durationMsSum),
	};
	const { hits, misses, coalesced, similar, bypass } = summary.cache;
	if (hits + misses + coalesced + similar + bypass > 0) operation.cache = summary.cache;
	return operation;
}
