import { Gauge, type Registry } from 'prom-client';
import { binQuantiles } from '../../metrics/latencyBins';
import { SERIES_LABEL_NAMES, type LabelledCounters } from './seriesLabels';

/** What the caller knows about its own process; written as `n8n_perf_process_*` gauges. */
export interface ProcessReading {
	/** CPU use over the caller's sampling interval; may exceed 100 on several cores. */
	cpuPercent: number;
	rssBytes: number;
	heapUsedBytes: number;
	/** p99 of the event-loop delay, in milliseconds (as `perf_hooks.monitorEventLoopDelay` reports it, divided by 1e6). */
	eventLoopDelayP99Ms: number;
}

const QUANTILES = [0.5, 0.95, 0.99] as const;
export const DURATION_QUANTILE_NAME = 'n8n_perf_duration_quantile_seconds';

/**
 * p50/p95/p99 of each series' durations, from its latency bins (1 % relative accuracy). A gauge and not a
 * Prometheus summary: quantiles of all-time totals cannot be aggregated or rated anyway, and the histogram
 * family carries the data for `histogram_quantile()`. Series without calls get no quantile samples.
 */
export function registerDurationQuantiles(registry: Registry, series: readonly LabelledCounters[]): string {
	const gauge = new Gauge({
		name: DURATION_QUANTILE_NAME,
		help: 'Duration quantiles of units of work, in seconds, from histograms with 1% relative accuracy.',
		labelNames: [...SERIES_LABEL_NAMES, 'quantile'],
		registers: [registry],
	});
	for (const { labels, counters } of series) {
		binQuantiles(counters.latency, QUANTILES).forEach((valueMs, index) => {
			// Rounded to the microsecond, the bins' own resolution: no 17-digit noise in the text.
			if (valueMs !== null) gauge.set({ ...labels, quantile: String(QUANTILES[index]) }, Math.round(valueMs * 1000) / 1e6);
		});
	}
	return DURATION_QUANTILE_NAME;
}

const PROCESS_GAUGES: ReadonlyArray<{ name: string; help: string; value(reading: ProcessReading): number }> = [
	{
		name: 'n8n_perf_process_cpu_percent',
		help: 'CPU use of the n8n process, in percent of one core.',
		value: (reading) => reading.cpuPercent,
	},
	{
		name: 'n8n_perf_process_resident_memory_bytes',
		help: 'Resident memory of the n8n process, in bytes.',
		value: (reading) => reading.rssBytes,
	},
	{
		name: 'n8n_perf_process_heap_used_bytes',
		help: 'V8 heap in use by the n8n process, in bytes.',
		value: (reading) => reading.heapUsedBytes,
	},
	{
		name: 'n8n_perf_process_event_loop_delay_p99_seconds',
		help: 'p99 event-loop delay of the n8n process, in seconds.',
		value: (reading) => reading.eventLoopDelayP99Ms / 1000,
	},
];

/** Registers the process gauges; returns their names in the order they should be written. */
export function registerProcessGauges(registry: Registry, reading: ProcessReading): string[] {
	for (const field of ['cpuPercent', 'rssBytes', 'heapUsedBytes', 'eventLoopDelayP99Ms'] as const) {
		const value = reading[field];
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
			throw new TypeError(`Expected \`process.${field}\` to be a finite number from 0 up, got ${String(value)}`);
		}
	}
	return PROCESS_GAUGES.map((definition) => {
		const gauge = new Gauge({ name: definition.name, help: definition.help, registers: [registry] });
		gauge.set(definition.value(reading));
		return definition.name;
	});
}
