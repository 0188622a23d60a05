import type { EngineLogger } from '../shared/logger';
import { BudgetedRecords } from './memory/budgetedRecords';
import { MemoryCaches } from './memory/memoryCaches';
import { MemoryMetrics } from './memory/memoryMetrics';
import type { ProcessState } from './processState';
import { buildSnapshot, DEFAULT_SNAPSHOT_MAX_BYTES, mergeSnapshot, parseSnapshot, snapshotBudgets, STATE_KEY } from './snapshot';
import type { CommitReport, StateCaches, StateLimiters, StateMetrics, StateRecords, StateStore } from './stateStore';
import type { WorkflowState } from './workflowState';

export interface StaticDataStoreOptions {
	process: ProcessState;
	workflowId: string;
	/** The object `getWorkflowStaticData('global')` returned for this execution. */
	staticData: Record<string, unknown>;
	logger: EngineLogger;
	/** @default 64 KiB */
	maxSnapshotBytes?: number;
	/**
	 * How long metric counts may wait unsaved: a commit that changed only counts writes the snapshot when this
	 * process last wrote it longer ago than this. `0` writes on every change. @default 60 s
	 */
	flushIntervalMs?: number;
}

export const DEFAULT_FLUSH_INTERVAL_MS = 60_000;

/**
 * The default backend: the process-wide in-memory layer, persisted as a bounded snapshot under one key of the
 * workflow's static data. Opening merges the snapshot this execution was handed (a restart hydrates from it);
 * `commit()` writes the merged state back.
 */
export class StaticDataStateStore implements StateStore {
	readonly backend = 'static-data' as const;
	readonly workflowId: string;
	readonly process: ProcessState;
	readonly caches: StateCaches;
	readonly records: StateRecords;
	readonly metrics: StateMetrics;
	readonly limiters: StateLimiters;
	private readonly state: WorkflowState;
	private readonly staticData: Record<string, unknown>;
	private readonly logger: EngineLogger;
	private readonly maxSnapshotBytes: number;
	private readonly flushIntervalMs: number;

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
		const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
		if (!Number.isFinite(flushIntervalMs) || flushIntervalMs < 0) {
			throw new TypeError(`Expected \`flushIntervalMs\` to be a number from 0 and up, got ${flushIntervalMs}`);
		}
		this.flushIntervalMs = flushIntervalMs;
		this.caches = new MemoryCaches(this.process, this.state);
		this.records = new BudgetedRecords(this.state.records, snapshotBudgets(maxSnapshotBytes).records);
		this.metrics = new MemoryMetrics(this.process, this.state);
		this.limiters = { open: (key, limits) => this.process.rateLimiter(key, limits) };
		this.hydrate();
	}

	/**
	 * Writes the snapshot when the one this execution holds (read by n8n when it started) lacks something worth
	 * persisting: a cache entry, a record or a reset at once; metric counts once this process's last write is
	 * older than the flush interval. Leaving static data untouched is what spares n8n its write: it saves static
	 * data only when an execution changed it.
	 */
	async commit(): Promise<CommitReport> {
		const state = this.state;
		state.persistence.commits++;
		const current = this.staticData[STATE_KEY] as { sid?: unknown } | undefined;
		const held = typeof current?.sid === 'string' ? state.writtenSnapshot(current.sid) : undefined;
		const now = this.process.clock.now();
		const durable = state.durableRevision;
		const metrics = state.metrics.revision;
		// Counts wait for the interval since this process's last write, not since the held copy's: executions that
		// started before that write still hold an older copy, and each would otherwise write again.
		if (held !== undefined && held.durable === durable && (held.metrics === metrics || now - state.lastWriteAt < this.flushIntervalMs)) {
			return { written: false, bytes: 0, droppedBuckets: 0, droppedCacheEntries: 0 };
		}
		const build = buildSnapshot(state, this.maxSnapshotBytes, this.process.clock);
		// Assigning a plain object marks n8n's observable static data as changed, so n8n saves it.
		this.staticData[STATE_KEY] = build.stored as unknown as Record<string, unknown>;
		state.rememberSnapshot(build.snapshot.sid, { durable, metrics, at: now });
		state.persistence.writes++;
		state.persistence.bytesWritten += build.bytes;
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
		// A copy this process wrote is already contained in memory. Checked before reading the rest: n8n hands static
		// data over as nested proxies, and walking a full snapshot through them costs every execution a few ms.
		const sid = (raw as { sid?: unknown } | null)?.sid;
		if (typeof sid === 'string' && this.state.wroteSnapshot(sid)) return;
		try {
			const snapshot = parseSnapshot(raw);
			mergeSnapshot(this.state, snapshot);
		} catch (error) {
			this.logger.warn(
				`perf-optimizer: the saved state of workflow ${this.workflowId} was unreadable and has been reset (${(error as Error).message})`,
			);
			delete this.staticData[STATE_KEY];
		}
	}
}
