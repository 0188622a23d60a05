import { familyHeader, sampleLine } from './exposition';
import { DURATION_BUCKETS_SECONDS, cumulativeBucketCounts } from './latencyBuckets';
import { SERIES_LABEL_NAMES, type LabelledCounters } from './seriesLabels';

export const DURATION_HISTOGRAM_NAME = 'n8n_perf_duration_seconds';

/**
 * The `n8n_perf_duration_seconds` histogram family, written here rather than by prom-client: its Histogram can
 * only `observe()` one value at a time, which would cost one call per recorded event (millions for all-time
 * totals) and make `_sum` a sum of bin values instead of the exact recorded sum. Our bins already are a
 * histogram, so the bucket counts come straight from them.
 */
export function durationHistogramText(series: readonly LabelledCounters[]): string {
	const lines = familyHeader(DURATION_HISTOGRAM_NAME, 'Duration of units of work, in seconds.', 'histogram');
	for (const { labels, counters } of series) {
		const labelPairs = SERIES_LABEL_NAMES.map((name) => [name, labels[name]] as const);
		const cumulative = cumulativeBucketCounts(counters.latency, DURATION_BUCKETS_SECONDS);
		DURATION_BUCKETS_SECONDS.forEach((bound, index) => {
			// Capped at the call count so that +Inf = _count and the buckets stay monotonic even if a merged
			// snapshot's bins and call count disagree.
			const count = Math.min(cumulative[index], counters.calls);
			lines.push(sampleLine(`${DURATION_HISTOGRAM_NAME}_bucket`, [...labelPairs, ['le', String(bound)]], count));
		});
		lines.push(sampleLine(`${DURATION_HISTOGRAM_NAME}_bucket`, [...labelPairs, ['le', '+Inf']], counters.calls));
		lines.push(sampleLine(`${DURATION_HISTOGRAM_NAME}_sum`, labelPairs, counters.durationMsSum / 1000));
		lines.push(sampleLine(`${DURATION_HISTOGRAM_NAME}_count`, labelPairs, counters.calls));
	}
	return lines.join('\n');
}
