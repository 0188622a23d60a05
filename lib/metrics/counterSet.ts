import { isPlainObject } from '../shared/json';
import { addToBins, binsToJson, mergeBinsInto, type LatencyBins } from './latencyBins';
import type { MetricEvent } from './metricEvent';

/**
 * The numeric fields of a counter set with their short names in persisted JSON. Short names matter: the
 * snapshot lives in static data, which n8n reads and writes whole.
 */
const FIELDS = {
	calls: 'n',
	errors: 'e',
	hits: 'h',
	misses: 'm',
	coalesced: 'co',
	similar: 's',
	bypass: 'b',
	items: 'i',
	tokensIn: 'ti',
	tokensOut: 'to',
	tokensSaved: 'ts',
	costUsd: 'c',
	costSavedUsd: 'cs',
	unpriced: 'up',
	bytesRaw: 'br',
	bytesCompressed: 'bc',
	durationMsSum: 'd',
	retries: 'r',
} as const;

export type CounterField = keyof typeof FIELDS;
export const COUNTER_FIELDS = Object.keys(FIELDS) as CounterField[];

/**
 * Counts and a latency histogram for one series, over one span of time, as seen by one process instance.
 *
 * Only the owning instance ever adds to its counter set, so two copies of it are ordered: the one with more
 * `calls` is newer and contains the other. That is what lets stale snapshots from concurrent executions,
 * restarts and several workers merge without losing or double-counting an update (a grow-only counter per
 * instance, summed on read).
 */
export class CounterSet {
	calls = 0;
	errors = 0;
	hits = 0;
	misses = 0;
	coalesced = 0;
	similar = 0;
	bypass = 0;
	items = 0;
	tokensIn = 0;
	tokensOut = 0;
	tokensSaved = 0;
	costUsd = 0;
	costSavedUsd = 0;
	/** Calls whose cost was unknown (a model without a price); never counted as free. */
	unpriced = 0;
	bytesRaw = 0;
	bytesCompressed = 0;
	durationMsSum = 0;
	retries = 0;
	errorsByClass: Record<string, number> = {};
	latency: LatencyBins = new Map();

	record(event: MetricEvent): void {
		this.calls++;
		this.items += event.items ?? 1;
		this.durationMsSum += event.durationMs;
		addToBins(this.latency, event.durationMs);
		const outcome = event.outcome;
		if (outcome !== undefined && outcome !== 'ok') {
			this.errors++;
			this.errorsByClass[outcome] = (this.errorsByClass[outcome] ?? 0) + 1;
		}
		switch (event.cache) {
			case undefined:
				break;
			case 'hit':
				this.hits++;
				break;
			case 'miss':
				this.misses++;
				break;
			case 'coalesced':
				this.coalesced++;
				break;
			case 'similar':
				this.similar++;
				break;
			case 'bypass':
				this.bypass++;
				break;
		}
		if (event.tokensIn) this.tokensIn += event.tokensIn;
		if (event.tokensOut) this.tokensOut += event.tokensOut;
		if (event.tokensSaved) this.tokensSaved += event.tokensSaved;
		if (event.costUsd === null) this.unpriced++;
		else if (event.costUsd) this.costUsd += event.costUsd;
		if (event.costSavedUsd) this.costSavedUsd += event.costSavedUsd;
		if (event.bytesRaw) this.bytesRaw += event.bytesRaw;
		if (event.bytesCompressed) this.bytesCompressed += event.bytesCompressed;
		if (event.retries) this.retries += event.retries;
	}

	/** Adds another set into this one: summing instances or time buckets for a report. */
	add(other: CounterSet): void {
		// Spelled out rather than looped over COUNTER_FIELDS: reports add thousands of sets, and fixed property
		// names keep this monomorphic.
		this.calls += other.calls;
		this.errors += other.errors;
		this.hits += other.hits;
		this.misses += other.misses;
		this.coalesced += other.coalesced;
		this.similar += other.similar;
		this.bypass += other.bypass;
		this.items += other.items;
		this.tokensIn += other.tokensIn;
		this.tokensOut += other.tokensOut;
		this.tokensSaved += other.tokensSaved;
		this.costUsd += other.costUsd;
		this.costSavedUsd += other.costSavedUsd;
		this.unpriced += other.unpriced;
		this.bytesRaw += other.bytesRaw;
		this.bytesCompressed += other.bytesCompressed;
		this.durationMsSum += other.durationMsSum;
		this.retries += other.retries;
		for (const errorClass in other.errorsByClass) {
			this.errorsByClass[errorClass] = (this.errorsByClass[errorClass] ?? 0) + other.errorsByClass[errorClass];
		}
		mergeBinsInto(this.latency, other.latency);
	}

	clone(): CounterSet {
		const copy = new CounterSet();
		copy.add(this);
		return copy;
	}

	toJSON(): Record<string, unknown> {
		const json: Record<string, unknown> = {};
		for (const field of COUNTER_FIELDS) {
			const value = this[field];
			// Float sums (cost) are rounded to a micro-dollar / microsecond to keep the JSON short.
			if (value !== 0) json[FIELDS[field]] = Number.isInteger(value) ? value : Math.round(value * 1e6) / 1e6;
		}
		if (Object.keys(this.errorsByClass).length > 0) json.ec = this.errorsByClass;
		if (this.latency.size > 0) json.l = binsToJson(this.latency);
		return json;
	}

	/** Parses persisted JSON; throws a `TypeError` naming the bad field so the caller can reset its namespace. */
	static fromJSON(json: unknown): CounterSet {
		if (!isPlainObject(json)) throw new TypeError('counter set is not an object');
		const set = new CounterSet();
		for (const field of COUNTER_FIELDS) {
			const value = json[FIELDS[field]];
			if (value === undefined) continue;
			if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
				throw new TypeError(`counter "${field}" is not a non-negative number`);
			}
			set[field] = value;
		}
		set.errorsByClass = parseCountMap(json.ec, 'error classes');
		for (const [key, count] of Object.entries(parseCountMap(json.l, 'latency bins'))) {
			if (!/^\d+$/.test(key)) throw new TypeError(`latency bin "${key}" is not a bin index`);
			set.latency.set(Number(key), count);
		}
		return set;
	}
}

function parseCountMap(value: unknown, what: string): Record<string, number> {
	if (value === undefined) return {};
	if (!isPlainObject(value)) throw new TypeError(`${what} are not an object`);
	const result: Record<string, number> = {};
	for (const [key, count] of Object.entries(value)) {
		if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
			throw new TypeError(`${what}: "${key}" is not a count`);
		}
		result[key] = count;
	}
	return result;
}

/** Keeps the newer of two copies of one instance's counter set (see {@link CounterSet}). */
export function newerCounterSet(a: CounterSet | undefined, b: CounterSet): CounterSet {
	return a === undefined || b.calls > a.calls ? b : a;
}
