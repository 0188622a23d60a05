import { latencyBinValueMs, sortedBins, type LatencyBins } from '../../metrics/latencyBins';

/** Upper bounds (seconds) of the exported duration histogram; `+Inf` is implied. Fixed, so series stay comparable. */
export const DURATION_BUCKETS_SECONDS: readonly number[] = [
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/**
 * Cumulative counts of our latency bins at the given upper bounds: a bin counts toward every bound at or above
 * its representative value. Bins are within 1 % of their durations, so a duration within 1 % of a bound may
 * land on either side of it; elsewhere the counts are exact. Costs one pass over the sorted bins, whatever the
 * number of calls.
 */
export function cumulativeBucketCounts(bins: LatencyBins, upperBoundsSeconds: readonly number[]): number[] {
	const binSeconds = sortedBins(bins).map(([key, count]) => ({ seconds: latencyBinValueMs(key) / 1000, count }));
	const counts: number[] = [];
	let binIndex = 0;
	let cumulative = 0;
	for (const bound of upperBoundsSeconds) {
		while (binIndex < binSeconds.length && binSeconds[binIndex].seconds <= bound) {
			cumulative += binSeconds[binIndex].count;
			binIndex++;
		}
		counts.push(cumulative);
	}
	return counts;
}
