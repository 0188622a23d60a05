import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { componentName, CounterSet, isUnitOfWork } from '../../../lib/metrics';
import type { CacheReport, MetricsReading } from '../../../lib/state';
import { listOutput, readScope, readWindow, type OperationContext, type OperationResult } from './operationContext';

/** Only the scope, window and output fields it shares with other operations (fields.ts, operationContext.ts). */
export const description: INodeProperties[] = [];

/** The component kind whose calls use a cache, by the first part of the cache's namespace. */
const COMPONENT_OF_CACHE_KIND: Record<string, string> = { ai: 'optimizedAiCall', batch: 'batchWorkflowTrigger' };

/**
 * Which metric readings a cache serves, from its namespace: `<kind>:node:<node name>` belongs to one node,
 * `<kind>:workflow` to every node of that kind in the workflow (the "whole workflow" cache scope). Only units of
 * work look a cache up (an AI call, a batch), so sub-operations are left out.
 */
function readingsOfCache(report: CacheReport, readings: MetricsReading[]): MetricsReading[] {
	const [kind, scope, ...nameParts] = report.namespace.split(':');
	const nodeName = nameParts.join(':');
	const component = COMPONENT_OF_CACHE_KIND[kind];
	return readings.filter(
		(reading) =>
			isUnitOfWork(reading) &&
			reading.workflowId === report.workflowId &&
			(component === undefined || componentName(reading.nodeType) === component) &&
			(scope === 'workflow' || reading.nodeName === nodeName),
	);
}

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

export async function execute({ context, store, items, now }: OperationContext): Promise<OperationResult> {
	const scope = readScope(context);
	const { current } = readWindow(context, now);
	const [reports, readings] = await Promise.all([
		store.caches.reports(scope),
		store.metrics.read({ scope, sinceMs: current.sinceMs, untilMs: current.untilMs }),
	]);
	const rows: IDataObject[] = reports.map((report) => {
		const window = new CounterSet();
		for (const reading of readingsOfCache(report, readings)) window.add(reading.counters);
		const served = window.hits + window.coalesced + window.similar;
		const lookups = served + window.misses;
		return {
			workflowId: report.workflowId,
			cache: report.namespace,
			entries: report.stats.entries,
			bytes: report.stats.bytes,
			maxEntries: report.limits.maxEntries,
			ttlSeconds: report.limits.ttlMs / 1000,
			sinceProcessStart: {
				hits: report.stats.hits,
				misses: report.stats.misses,
				sets: report.stats.sets,
				evictions: report.stats.evictions,
				expirations: report.stats.expirations,
				hitRate: ratio(report.stats.hits, report.stats.hits + report.stats.misses),
			},
			window: {
				minutes: current.minutes,
				lookups,
				hits: window.hits,
				coalesced: window.coalesced,
				similar: window.similar,
				misses: window.misses,
				hitRate: ratio(served, lookups),
				tokensSaved: window.tokensSaved,
				costSavedUsd: Math.round(window.costSavedUsd * 1e6) / 1e6,
			},
		};
	});
	return [listOutput(context, rows, items, { key: 'caches', windowMinutes: current.minutes })];
}
