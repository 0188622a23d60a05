import type { BoundedCache, CacheLimits } from '../cache';
import type { NearDuplicateIndex } from '../dedup';
import type { RateLimiter, RateLimits } from '../resilience';
import { CounterSet, type MetricEvent, type MetricsWindow, type SeriesId } from '../metrics';
import type { EngineLogger } from '../shared/logger';
import type { ProcessState } from './processState';
import { buildSnapshot, DEFAULT_SNAPSHOT_MAX_BYTES, mergeSnapshot, parseSnapshot, snapshotBudgets, STATE_KEY } from './snapshot';
import type { JsonValue } from '../shared/json';
import type { RecordEntry } from './recordStore';
import type { CacheHandle, CacheReport, CommitReport, MetricsQuery, MetricsReading, StateStore } from './stateStore';
import type { WorkflowState } from './workflowState';

export interface StaticDataStoreOptions {
	process: ProcessState;
	workflowId: string;
	/** The object `getWorkflowStaticData('global')` returned for this execution. */
	staticData: Record<string, unknown>;
	logger: EngineLogger;
	/** @default 64 KiB */
	maxSnapshotBytes?: number;
}

/**
 * The default backend: the process-wide in-memory layer, persisted as a bounded snapshot under one key of the
 * workflow's static data. Opening merges the snapshot this execution was handed (a restart hydrates from it);
 * `commit()` writes the merged state back.
 */
export class StaticDataStateStore implements StateStore {
	readonly backend = 'static-data' as const;
	readonly workflowId: string;
	private readonly state: WorkflowState;
	private readonly process: ProcessState;
	private readonly staticData: Record<string, unknown>;
	private readonly logger: EngineLogger;
	private readonly maxSnapshotBytes: number;

	constructor(options: StaticDataStoreOptions) {
		const maxSnapshotBytes = options.maxSnapshotBytes ?? DEFAULT_SNAPSHOT_MAX_BYTES;
		if (!Number.isInteger(maxSnapshotBytes) || maxSnapshotBytes < 1024) {
			throw new TypeError(`Expected \`maxSnapshotBytes\` to be an integer from 1024 and up, got ${maxSnapshotBytes}`);
		}
		this.process = options.process;
		this.workflowId = options.workflowId;
		this.state = options.process.workflow(options.workflowId);
		this.staticData = options.staticData;
		this.logger = options.logger;
		this.maxSnapshotBytes = maxSnapshotBytes;
		this.hydrate();
	}

	cache(namespace: string, limits: CacheLimits): CacheHandle {
		const cache = this.state.cache(namespace, limits);
		return new MemoryCacheHandle(namespace, cache);
	}

	async coalesce<T>(key: string, work: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
		return (await this.process.singleFlight.run(key, work)) as { value: T; shared: boolean };
	}

	rateLimiter(key: string, limits: RateLimits): RateLimiter {
		return this.process.rateLimiter(key, limits);
	}

	nearDuplicates(namespace: string): NearDuplicateIndex {
		return this.state.nearDuplicates(namespace);
	}

	processShared<T>(name: string, create: () => T): T {
		return this.process.shared(name, create);
	}

	record(event: MetricEvent): void {
		this.state.metrics.record(event);
	}

	async readMetrics(query: MetricsQuery = {}): Promise<MetricsReading[]> {
		const readings: MetricsReading[] = [];
		for (const state of this.statesInScope(query.scope)) {
			for (const aggregate of state.metrics.query(query)) {
				readings.push({ ...aggregate, workflowId: state.workflowId });
			}
		}
		return readings;
	}

	async readMinuteSeries(
		query: Required<MetricsWindow> & Pick<MetricsQuery, 'scope'>,
		filter?: (series: SeriesId & { workflowId: string }) => boolean,
	): Promise<Array<{ minute: number; counters: CounterSet }>> {
		const states = this.statesInScope(query.scope);
		const seriesFilter = (state: WorkflowState) =>
			filter === undefined ? undefined : (id: SeriesId) => filter({ ...id, workflowId: state.workflowId });
		if (states.length === 1) return states[0].metrics.minuteSeries(query, seriesFilter(states[0]));
		const byMinute = new Map<number, CounterSet>();
		for (const state of states) {
			for (const point of state.metrics.minuteSeries(query, seriesFilter(state))) {
				let sum = byMinute.get(point.minute);
				if (sum === undefined) byMinute.set(point.minute, (sum = new CounterSet()));
				sum.add(point.counters);
			}
		}
		return [...byMinute.entries()].sort((a, b) => a[0] - b[0]).map(([minute, counters]) => ({ minute, counters }));
	}

	async getRecord(key: string): Promise<RecordEntry | undefined> {
		return this.state.records.get(key);
	}

	/** Refuses a write that would take the records past their share of the snapshot ({@link snapshotBudgets}). */
	async setRecord(key: string, value: JsonValue): Promise<void> {
		const limit = snapshotBudgets(this.maxSnapshotBytes).records;
		const after = this.state.records.persistedBytes({ key, value });
		if (after > limit) throw new RecordsBudgetError(key, after, this.state.records.persistedBytes(), limit);
		this.state.records.set(key, value);
	}

	async deleteRecord(key: string): Promise<boolean> {
		return this.state.records.delete(key);
	}

	async listRecords(prefix?: string): Promise<RecordEntry[]> {
		return this.state.records.list(prefix);
	}

	async resetMetrics(scope: MetricsQuery['scope'] = 'workflow'): Promise<number> {
		const states = this.statesInScope(scope);
		for (const state of states) state.metrics.reset();
		return states.length;
	}

	async cacheReports(scope: MetricsQuery['scope'] = 'workflow'): Promise<CacheReport[]> {
		const reports: CacheReport[] = [];
		for (const state of this.statesInScope(scope)) {
			for (const [namespace, cache] of state.caches) {
				reports.push({ workflowId: state.workflowId, namespace, stats: cache.stats(), limits: { ...cache.currentLimits } });
			}
		}
		return reports;
	}

	markSpanStart(key: string, at: number): void {
		this.process.markSpanStart(key, at);
	}

	takeSpanStart(key: string): number | undefined {
		return this.process.takeSpanStart(key);
	}

	async commit(): Promise<CommitReport> {
		const current = this.staticData[STATE_KEY] as { sid?: unknown } | undefined;
		const revision = this.state.revision;
		const persistedIsOurs = typeof current?.sid === 'string' && this.state.wroteSnapshot(current.sid);
		if (persistedIsOurs && revision === this.state.lastWrittenRevision) {
			return { written: false, bytes: 0, droppedBuckets: 0, droppedCacheEntries: 0 };
		}
		const build = buildSnapshot(this.state, this.maxSnapshotBytes, this.process.clock);
		// Assigning a plain object marks n8n's observable static data as changed, so n8n saves it.
		this.staticData[STATE_KEY] = build.snapshot as unknown as Record<string, unknown>;
		this.state.rememberSnapshot(build.snapshot.sid);
		this.state.lastWrittenRevision = revision;
		return {
			written: true,
			bytes: build.bytes,
			droppedBuckets: build.droppedBuckets,
			droppedCacheEntries: build.droppedCacheEntries,
		};
	}

	private hydrate(): void {
		const raw = this.staticData[STATE_KEY];
		if (raw === undefined) return;
		try {
			const snapshot = parseSnapshot(raw);
			if (this.state.wroteSnapshot(snapshot.sid)) return; // already contained in memory
			mergeSnapshot(this.state, snapshot);
		} catch (error) {
			this.logger.warn(
				`perf-optimizer: the saved state of workflow ${this.workflowId} was unreadable and has been reset (${(error as Error).message})`,
			);
			delete this.staticData[STATE_KEY];
		}
	}

	private statesInScope(scope: MetricsQuery['scope']): WorkflowState[] {
		return scope === 'all' ? this.process.workflows() : [this.state];
	}
}

/** A record write refused because the workflow's records would no longer fit their budget in static data. */
export class RecordsBudgetError extends Error {
	override name = 'RecordsBudgetError';
	readonly errorClass = 'validation' as const;
	readonly description =
		"Records (template library, settings, alert state) share half of the workflow's static-data snapshot; " +
		'delete records you no longer need, or use the Redis state backend for more.';
	constructor(
		readonly key: string,
		readonly bytesAfter: number,
		readonly usedBytes: number,
		readonly limitBytes: number,
	) {
		super(
			`Saving "${key}" would make this workflow's records ${bytesAfter} bytes; they use ${usedBytes} of their ` +
				`${limitBytes}-byte budget in static data`,
		);
	}
}

class MemoryCacheHandle implements CacheHandle {
	constructor(
		readonly namespace: string,
		private readonly cache: BoundedCache,
	) {}

	async get(key: string) {
		return this.cache.get(key);
	}

	async set(key: string, value: Parameters<BoundedCache['set']>[1], options?: Parameters<BoundedCache['set']>[2]) {
		this.cache.set(key, value, options);
	}

	async delete(key: string) {
		return this.cache.delete(key);
	}

	async stats() {
		return this.cache.stats();
	}
}
