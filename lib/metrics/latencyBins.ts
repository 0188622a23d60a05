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

export type LatencyBins = Record<number, number>;

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
	bins[key] = (bins[key] ?? 0) + count;
}

export function mergeBinsInto(target: LatencyBins, source: LatencyBins): void {
	for (const key in source) {
		target[key as unknown as number] = (target[key as unknown as number] ?? 0) + source[key as unknown as number];
	}
}

/**
 * Percentiles (q in [0, 1]) of the binned durations, by the nearest-rank rule DDSketch uses
 * (rank = q × (count − 1)). Returns `null` for no data.
 */
export function binQuantiles(bins: LatencyBins, quantiles: readonly number[]): Array<number | null> {
	const keys = Object.keys(bins)
		.map(Number)
		.sort((a, b) => a - b);
	let total = 0;
	for (const key of keys) total += bins[key];
	if (total === 0) return quantiles.map(() => null);
	return quantiles.map((quantile) => {
		if (!(quantile >= 0 && quantile <= 1)) {
			throw new RangeError(`Expected quantile to be between 0 and 1, got ${quantile}`);
		}
		const rank = quantile * (total - 1);
		let seen = 0;
		for (const key of keys) {
			seen += bins[key];
			if (seen > rank) return latencyBinValueMs(key);
		}
		return latencyBinValueMs(keys[keys.length - 1]);
	});
}
