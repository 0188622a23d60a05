import { CounterSet } from '../../../lib/metrics/counterSet';
import type { MetricEvent } from '../../../lib/metrics/metricEvent';
import type { SeriesCounters } from '../../../lib/metrics/rollup';

export const PREFIX = 'n8n-nodes-perf-optimizer.';

/** One series that recorded `count` copies of an event. */
export function series(nodeType: string, nodeName: string, operation: string, count: number, event: Partial<MetricEvent> = {}): SeriesCounters {
	const counters = new CounterSet();
	for (let index = 0; index < count; index++) counters.record({ nodeType, nodeName, operation, durationMs: 10, ...event });
	return { nodeType, nodeName, operation, counters };
}

/** A workflow's readings with every kind of component and its sub-operations (durations in ms). */
export const MIXED_READINGS: SeriesCounters[] = [
	series(`${PREFIX}optimizedAiCall`, 'Ask', 'chat', 3, { durationMs: 100 }),
	series(`${PREFIX}optimizedAiCall`, 'Ask', 'chat', 1, { durationMs: 100, outcome: 'server' }),
	series(`${PREFIX}batchWorkflowTrigger`, 'Send', 'dispatchSubWorkflow', 2, { durationMs: 300, items: 10 }),
	series(`${PREFIX}batchWorkflowTrigger`, 'Send', 'queueWait', 2, { durationMs: 900, items: 10 }),
	series(`${PREFIX}batchWorkflowTrigger`, 'Send', 'POST http://receiver/hook', 3, { durationMs: 100 }),
	series(`${PREFIX}templatePopulate`, 'Fill', 'populate', 5, { durationMs: 4, cache: 'hit' }),
	series(`${PREFIX}templatePopulate`, 'Fill', 'discover', 5, { durationMs: 1 }),
	series(`${PREFIX}templatePopulate`, 'Fill', 'map', 5, { durationMs: 1, cache: 'miss' }),
	series(`${PREFIX}templatePopulate`, 'Fill', 'render', 5, { durationMs: 2, cache: 'hit' }),
	series(`${PREFIX}perfMonitor`, 'checkout', 'span', 1, { durationMs: 50, items: 3 }),
	series('other-package.thing', 'Elsewhere', 'a', 1),
	series('other-package.thing', 'Elsewhere', 'b', 1),
];
