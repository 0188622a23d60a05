import { BoundedCache, type CacheLimits } from '../cache';
import { NearDuplicateIndex } from '../dedup';
import { MetricsStore } from '../metrics';
import type { Clock } from '../shared/clock';
import type { EngineLogger } from '../shared/logger';
import { RecordStore } from './recordStore';

/** Limits for a cache that a snapshot brings in before any node has configured it. */
export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxEntries: 1000, ttlMs: 3_600_000 };

/** How many of our own recent snapshot ids to remember, to skip merging a snapshot we wrote ourselves. */
const REMEMBERED_SNAPSHOTS = 16;

/**
 * The hot, in-memory state of one workflow in this process: shared by every execution of it (manual runs
 * included). The static-data snapshot is only its persisted copy.
 */
export class WorkflowState {
	readonly metrics: MetricsStore;
	readonly caches = new Map<string, BoundedCache>();
	readonly records: RecordStore;
	/** Near-duplicate indexes per cache namespace; memory only, rebuilt as new answers arrive after a restart. */
	private readonly nearDuplicateIndexes = new Map<string, NearDuplicateIndex>();
	private readonly writtenSnapshots: string[] = [];
	/** What the last written snapshot reflected, as {@link WorkflowState.revision}. */
	lastWrittenRevision = -1;

	constructor(
		readonly workflowId: string,
		readonly instanceId: string,
		private readonly clock: Clock,
		logger: EngineLogger,
	) {
		this.records = new RecordStore(clock);
		this.metrics = new MetricsStore({
			instanceId,
			clock,
			onSeriesLimit: (series) =>
				logger.warn(`perf-optimizer: workflow ${workflowId} has too many metric series; not tracking "${series.nodeName}"`),
		});
	}

	cache(namespace: string, limits: CacheLimits = DEFAULT_CACHE_LIMITS): BoundedCache {
		let cache = this.caches.get(namespace);
		if (cache === undefined) {
			cache = new BoundedCache(limits, this.clock);
			this.caches.set(namespace, cache);
		} else if (limits !== DEFAULT_CACHE_LIMITS) {
			cache.reconfigure(limits);
		}
		return cache;
	}

	nearDuplicates(namespace: string): NearDuplicateIndex {
		let index = this.nearDuplicateIndexes.get(namespace);
		if (index === undefined) {
			index = new NearDuplicateIndex({ maxEntries: 2000 });
			this.nearDuplicateIndexes.set(namespace, index);
		}
		return index;
	}

	/** Sum of every part's change counter: equal values mean nothing changed. */
	get revision(): number {
		let revision = this.metrics.revision + this.records.revision;
		for (const cache of this.caches.values()) revision += cache.revision;
		return revision;
	}

	rememberSnapshot(snapshotId: string): void {
		this.writtenSnapshots.push(snapshotId);
		if (this.writtenSnapshots.length > REMEMBERED_SNAPSHOTS) this.writtenSnapshots.shift();
	}

	wroteSnapshot(snapshotId: string): boolean {
		return this.writtenSnapshots.includes(snapshotId);
	}
}
