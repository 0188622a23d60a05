import type { CounterSet } from '../../metrics';
import { formatMs, formatPercent, roundTo } from './format';

/** What the suggestion rules look at for one component in the current window. */
export interface ComponentFacts {
	counters: CounterSet;
	windowMinutes: number;
	shareOfTimePct: number;
	p95Ms: number;
	previousP95Ms: number | null;
	latencyRegressionPct: number | null;
}

/** When each suggestion applies; the README's bottleneck section quotes these. */
export const SUGGESTION_THRESHOLDS = {
	/** A component taking at least this share of all monitored time is the one to speed up first. */
	dominantSharePct: 50,
	/** p95 growth against the previous window of the same length. */
	latencyRegressionPct: 50,
	/** Share of calls answered with 429. */
	rateLimitShare: 0.05,
	/** Timeouts and 5xx are rarer and each costs more (a full timeout, a retry), so a smaller share counts. */
	timeoutShare: 0.02,
	serverErrorShare: 0.02,
	retriesPerCall: 0.2,
	lowHitRate: 0.3,
	/** Fewer lookups than this say nothing reliable about a hit rate. */
	minCacheLookups: 20,
	/** Average prompt bytes per call above which compression is worth turning on. */
	largePromptBytes: 4000,
} as const;

type SuggestionRule = (facts: ComponentFacts) => string | undefined;

/** Ordered from what costs most (time share, regressions) to what saves most (cache, compression). */
const RULES: readonly SuggestionRule[] = [
	dominantShare,
	latencyRegression,
	rateLimits,
	timeouts,
	serverErrors,
	frequentRetries,
	lowHitRate,
	uncompressedLargePrompts,
];

/** Concrete, numbered advice for one component; empty when nothing stands out. */
export function suggestionsFor(facts: ComponentFacts): string[] {
	const suggestions: string[] = [];
	for (const rule of RULES) {
		const suggestion = rule(facts);
		if (suggestion !== undefined) suggestions.push(suggestion);
	}
	return suggestions;
}

function dominantShare({ shareOfTimePct, p95Ms }: ComponentFacts): string | undefined {
	if (shareOfTimePct < SUGGESTION_THRESHOLDS.dominantSharePct) return undefined;
	return `Takes ${shareOfTimePct}% of the time spent in all monitored nodes (p95 ${formatMs(p95Ms)}): it dominates run time, so speeding it up pays off most`;
}

function latencyRegression({ latencyRegressionPct, previousP95Ms, p95Ms }: ComponentFacts): string | undefined {
	if (latencyRegressionPct === null || previousP95Ms === null) return undefined;
	if (latencyRegressionPct < SUGGESTION_THRESHOLDS.latencyRegressionPct) return undefined;
	return `p95 latency rose ${latencyRegressionPct}% against the previous window (${formatMs(previousP95Ms)} -> ${formatMs(p95Ms)}): check for longer prompts, a slower model or trouble at the provider`;
}

function rateLimits({ counters, windowMinutes }: ComponentFacts): string | undefined {
	const limited = counters.errorsByClass.rate_limit ?? 0;
	if (limited === 0 || limited / counters.calls < SUGGESTION_THRESHOLDS.rateLimitShare) return undefined;
	const perMinute = roundTo(counters.calls / windowMinutes, 1);
	return `${countOfCalls(limited, counters.calls)} hit rate limits (429): lower Max Parallel Requests or set Requests Per Minute (now ${perMinute} calls per minute)`;
}

function timeouts({ counters, p95Ms }: ComponentFacts): string | undefined {
	const timedOut = counters.errorsByClass.timeout ?? 0;
	if (timedOut === 0 || timedOut / counters.calls < SUGGESTION_THRESHOLDS.timeoutShare) return undefined;
	return `${countOfCalls(timedOut, counters.calls)} timed out (p95 ${formatMs(p95Ms)}): raise Timeout (Ms) under Request Options, or check the provider's status and latency`;
}

function serverErrors({ counters }: ComponentFacts): string | undefined {
	const failed = counters.errorsByClass.server ?? 0;
	if (failed === 0 || failed / counters.calls < SUGGESTION_THRESHOLDS.serverErrorShare) return undefined;
	return `${countOfCalls(failed, counters.calls)} failed with server errors (5xx): check the endpoint's health (provider status page, gateway or model server logs)`;
}

function frequentRetries({ counters }: ComponentFacts): string | undefined {
	const perCall = counters.retries / counters.calls;
	if (perCall < SUGGESTION_THRESHOLDS.retriesPerCall) return undefined;
	return `${counters.retries} retries over ${counters.calls} calls (${roundTo(perCall, 2)} per call): each retry adds a round trip and its back-off; remove the cause (rate limits, server errors, timeouts) rather than raising Max Attempts`;
}

function lowHitRate({ counters }: ComponentFacts): string | undefined {
	const served = counters.hits + counters.coalesced + counters.similar;
	const lookups = served + counters.misses;
	if (lookups < SUGGESTION_THRESHOLDS.minCacheLookups) return undefined;
	const hitRate = served / lookups;
	if (hitRate >= SUGGESTION_THRESHOLDS.lowHitRate) return undefined;
	return `Cache hit rate is ${formatPercent(hitRate)} over ${lookups} lookups: raise Cache TTL, turn on Prompt Compression or Near-Duplicate Detection`;
}

function uncompressedLargePrompts({ counters }: ComponentFacts): string | undefined {
	const { bytesRaw, bytesCompressed, calls } = counters;
	// Compression off: the engine records the prompt unchanged (compressed = raw), or nothing for "after".
	const uncompressed = bytesCompressed === 0 || bytesCompressed === bytesRaw;
	const averageBytes = bytesRaw / calls;
	if (!uncompressed || averageBytes <= SUGGESTION_THRESHOLDS.largePromptBytes) return undefined;
	return `Prompts average ${Math.round(averageBytes)} bytes and are sent uncompressed: turn on Prompt Compression`;
}

/** "42 of 300 calls (14%)" */
function countOfCalls(count: number, calls: number): string {
	return `${count} of ${calls} calls (${formatPercent(count / calls)})`;
}
