import { summarize, type CounterSet } from '../../metrics';
import type { AlertMetric } from './alertRules';
import { formatMs, formatPercent, formatUsd, roundTo } from './format';

/** A rule's metric over its window; null where the metric has no value (no calls, no cache use). */
export function readAlertMetric(counters: CounterSet, metric: AlertMetric, windowMinutes: number): number | null {
	const summary = summarize(counters, windowMinutes);
	switch (metric) {
		case 'errorRate':
			return summary.errorRate;
		case 'p95LatencyMs':
			return summary.latencyMs.p95;
		case 'p99LatencyMs':
			return summary.latencyMs.p99;
		case 'hitRate':
			return summary.cache.hitRate;
		case 'throughputPerMin':
			return summary.throughputPerMin;
		case 'costUsd':
			return summary.cost.usd;
		case 'calls':
			return summary.calls;
	}
}

const LABELS: Record<AlertMetric, string> = {
	errorRate: 'error rate',
	p95LatencyMs: 'p95 latency',
	p99LatencyMs: 'p99 latency',
	hitRate: 'cache hit rate',
	throughputPerMin: 'throughput',
	costUsd: 'cost',
	calls: 'call count',
};

export function alertMetricLabel(metric: AlertMetric): string {
	return LABELS[metric];
}

/** A value of the metric in its natural unit: rates as percentages, latencies in ms, cost in dollars. */
export function formatAlertValue(metric: AlertMetric, value: number): string {
	switch (metric) {
		case 'errorRate':
		case 'hitRate':
			return formatPercent(value);
		case 'p95LatencyMs':
		case 'p99LatencyMs':
			return formatMs(value);
		case 'throughputPerMin':
			return `${roundTo(value, 2)} calls/min`;
		case 'costUsd':
			return formatUsd(value);
		case 'calls':
			return String(value);
	}
}
