import { CounterSet } from '../../../../lib/metrics/counterSet';
import { latencyBinKey, latencyBinValueMs } from '../../../../lib/metrics/latencyBins';
import type { MetricEvent } from '../../../../lib/metrics/metricEvent';
import type { ComponentCounters } from '../../../../lib/metrics/rollup';

/** What a test says about an event; the component and operation come from where the event is recorded. */
export type EventFields = Omit<Partial<MetricEvent>, 'nodeType' | 'nodeName' | 'operation'>;

/** `count` copies of one event. */
export function times(count: number, event: EventFields = {}): EventFields[] {
	return Array.from({ length: count }, () => event);
}

/** A counter set that recorded exactly these events (10 ms each unless said otherwise). */
export function countersOf(...groups: EventFields[][]): CounterSet {
	const set = new CounterSet();
	for (const event of groups.flat()) set.record({ nodeType: 't', nodeName: 'n', operation: 'o', durationMs: 10, ...event });
	return set;
}

export function component(nodeName: string, ...groups: EventFields[][]): ComponentCounters {
	const counters = countersOf(...groups);
	return { nodeType: 'n8n-nodes-perf-optimizer.optimizedAiCall', nodeName, counters, operations: { chat: counters } };
}

/**
 * The duration the latency histogram reports for events of `ms` (within 1% of it), rounded as the metrics
 * summary rounds: what a p95 over events that all took `ms` comes out as.
 */
export function binned(ms: number): number {
	return Math.round(latencyBinValueMs(latencyBinKey(ms)) * 1000) / 1000;
}

/** 2026-01-01 10:00 UTC, on an hour boundary. */
export const T0 = Date.UTC(2026, 0, 1, 10, 0);
export const MINUTE = 60_000;
export const minuteOf = (epochMs: number) => epochMs / MINUTE;
