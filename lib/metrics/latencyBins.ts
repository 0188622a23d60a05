import { LogarithmicMapping } from '@datadog/sketches-js/dist/ddsketch/mapping';

/**
 * Relative accuracy of every latency percentile we report: a reported p99 is within 1% of a value whose rank
 * is the true p99's. DDSketch's logarithmic mapping gives the guarantee; we keep the bins ourselves as a
 * sparse `{ key: count }` object because that form merges by addition, fits JSON static data and maps
 * one-to-one onto Redis hash fields (HINCRBY), which a sketch's own binary encoding does not.
 */
export const LATENCY_RELATIVE_ACCURACY = 0.01;

const mapping = new LogarithmicMapping(LATENCY_RELATIVE_ACCURACY);

/** Durations are binned in microseconds so that every key is a small non-negative integer. */
const MICROS_PER_MS = 1000;

/** Bin key -> count. A `Map` in memory: merging one is several times faster than walking an object's keys. */
export type LatencyBins = Map<number, number>;

export function latencyBinKey(durationMs: number): number {
	const micros = durationMs * MICROS_PER_MS;
	// Sub-microsecond (and zero or negative, e.g. from a clock step) durations share the lowest bin.
	if (!(micros > 1)) return 0;
	return mapping.key(micros);
}

/** The representative duration of a bin, in milliseconds. */
export function latencyBinValueMs(key: number): number {
	return key === 0 ? 1 / MICROS_PER_MS : mapping.value(key) / MICROS_PER_MS;
}

export function addToBins(bins: LatencyBins, durationMs: number, count = 1): void {
	const key = latencyBinKey(durationMs);
	bins.set(key, (bins.get(key) ?? 0) + count);
}

export function mergeBinsInto(target: LatencyBins, source: LatencyBins): void {
	for (const [key, count] of source) target.set(key, (target.get(key) ?? 0) + count);
}

/** The persisted form: `{ "key": count }`. */
export function binsToJson(bins: LatencyBins): Record<string, number> {
	const json: Record<string, number> = {};
	for (const [key, count] of bins) json[key] = count;
	return json;
}

/** Bins sorted by key, for quantiles and cumulative buckets. */
export function sortedBins(bins: LatencyBins): Array<[key: number, count: number]> {
	return [...bins].sort((a, b) => a[0] - b[0]);
}

/**
 * Percentiles (q in [0, 1]) of the binned durations, by the nearest-rank rule DDSketch uses
 * (rank = q × (count − 1)). Returns `null` for no data. One sort of the bin keys and one pass serve all the
 * quantiles asked for: reports compute them for thousands of buckets.
 */
export function binQuantiles(bins: LatencyBins, quantiles: readonly number[]): Array<number | null> {
	for (const quantile of quantiles) {
		if (!(quantile >= 0 && quantile <= 1)) {
			throw new RangeError(`Expected quantile to be between 0 and 1, got ${quantile}`);
		}
	}
	const keys = new Float64Array(bins.size);
	let total = 0;
	let filled = 0;
	for (const [key, count] of bins) {
		keys[filled++] = key;
		total += count;
	}
	keys.sort();
	if (total === 0) return quantiles.map(() => null);
	const order = quantiles.map((quantile, index) => ({ rank: quantile * (total - 1), index })).sort((a, b) => a.rank - b.rank);
	const result = new Array<number | null>(quantiles.length).fill(null);
	let next = 0;
	let seen = 0;
	for (let position = 0; position < keys.length && next < order.length; position++) {
		seen += bins.get(keys[position]) as number;
		while (next < order.length && seen > order[next].rank) result[order[next++].index] = latencyBinValueMs(keys[position]);
	}
	while (next < order.length) result[order[next++].index] = latencyBinValueMs(keys[keys.length - 1]);
	return result;
}
