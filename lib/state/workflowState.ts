import { BoundedCache, type CacheLimits } from '../cache';
import { NearDuplicateIndex } from '../dedup';
import { MetricsStore } from '../metrics';
import type { Clock } from '../shared/clock';
import type { EngineLogger } from '../shared/logger';
import { RecordStore } from './recordStore';

/** Limits for a cache that a snapshot brings in before any node has configured it. */
export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxEntries: 1000, ttlMs: 3_600_000 };

/**
 * How many of our own recent snapshot ids to remember, to skip merging a snapshot we wrote ourselves and to know
 * what it held. Concurrent executions may still hold one written many writes ago.
 */
const REMEMBERED_SNAPSHOTS = 64;

/** What one of our snapshots reflected when it was written. */
export interface WrittenSnapshot {
	/** {@link WorkflowState.durableRevision} then. */
	durable: number;
	/** The metrics' revision then. */
	metrics: number;
	/** Written at, epoch ms. */
	at: number;
}

/** How often this workflow's state was committed and written to static data in this process, and how much. */
export interface PersistenceStats {
	commits: number;
	writes: number;
	bytesWritten: number;
}

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
	private readonly writtenSnapshots = new Map<string, WrittenSnapshot>();
	readonly persistence: PersistenceStats = { commits: 0, writes: 0, bytesWritten: 0 };
	/** When this process last wrote a snapshot of the workflow, epoch ms. */
	lastWriteAt = -Infinity;

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

	/**
	 * Grows with every change a crash must never lose: a cache entry stored, refreshed or removed, a record, a
	 * reset of the metrics. Metric counts are not in it (see `metrics.revision`).
	 */
	get durableRevision(): number {
		let revision = this.records.revision + this.metrics.epoch;
		for (const cache of this.caches.values()) revision += cache.revision;
		return revision;
	}

	rememberSnapshot(snapshotId: string, written: WrittenSnapshot): void {
		this.writtenSnapshots.set(snapshotId, written);
		this.lastWriteAt = Math.max(this.lastWriteAt, written.at);
		if (this.writtenSnapshots.size > REMEMBERED_SNAPSHOTS) this.writtenSnapshots.delete(this.writtenSnapshots.keys().next().value!);
	}

	/** What our snapshot with this id held, or undefined when another process (or a forgotten write) made it. */
	writtenSnapshot(snapshotId: string): WrittenSnapshot | undefined {
		return this.writtenSnapshots.get(snapshotId);
	}

	wroteSnapshot(snapshotId: string): boolean {
		return this.writtenSnapshots.has(snapshotId);
	}
}
