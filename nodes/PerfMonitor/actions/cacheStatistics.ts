import { componentName, CounterSet, isUnitOfWork } from '../../../lib/metrics';
import type { CacheReport, MetricsReading } from '../../../lib/state';

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

/** One cache's statistics: its size and lifetime counts, and how it served calls in the window. */
export interface CacheRow {
	workflowId: string;
	cache: string;
	entries: number;
	bytes: number;
	maxEntries: number;
	ttlSeconds: number;
	sinceProcessStart: { hits: number; misses: number; sets: number; evictions: number; expirations: number; hitRate: number | null };
	window: {
		minutes: number;
		lookups: number;
		hits: number;
		coalesced: number;
		similar: number;
		misses: number;
		hitRate: number | null;
		tokensSaved: number;
		costSavedUsd: number;
	};
}

/** Statistics of every cache, with the window's lookups taken from the metric readings of the calls it served. */
export function cacheRows(reports: readonly CacheReport[], readings: MetricsReading[], windowMinutes: number): CacheRow[] {
	return reports.map((report) => {
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
				minutes: windowMinutes,
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
}
