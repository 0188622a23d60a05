import type { ProcessState } from '../processState';
import type { CommitReport, StateCaches, StateLimiters, StateMetrics, StateRecords, StateStore } from '../stateStore';
import type { RedisConnection } from './connection';
import { RedisCaches } from './redisCaches';
import { RedisMetrics } from './redisMetrics';
import { RedisRateLimiter } from './redisRateLimiter';
import { RedisRecords } from './redisRecords';

export interface RedisStateStoreOptions {
	/** The process's connection (one per process and server). */
	connection: RedisConnection;
	/** The process-wide layer: near-duplicate indexes, shared helper objects and span starts stay in memory. */
	process: ProcessState;
	workflowId: string;
}

/**
 * State kept in Redis and shared by every process that uses the same server and key prefix (n8n's main
 * process and its queue-mode workers): caches, cross-process coalescing, rate limits, metrics and records.
 * What each process can rebuild (near-duplicate indexes, compiled templates, span starts) stays in its memory.
 *
 * Its async methods, except `caches.coalesce`, reject with `RedisUnavailableError` when Redis does not serve them
 * (after at most about one command timeout); wrap the store in a {@link FallbackStateStore} so callers never see that.
 */
export class RedisStateStore implements StateStore {
	readonly backend = 'redis' as const;
	readonly workflowId: string;
	readonly connection: RedisConnection;
	readonly process: ProcessState;
	readonly caches: StateCaches;
	readonly records: StateRecords;
	readonly metrics: StateMetrics;
	readonly limiters: StateLimiters;

	constructor(options: RedisStateStoreOptions) {
		const { connection, process, workflowId } = options;
		this.connection = connection;
		this.process = process;
		this.workflowId = workflowId;
		this.caches = new RedisCaches(connection, process, workflowId);
		this.records = new RedisRecords(connection, workflowId);
		this.metrics = new RedisMetrics(connection, workflowId, process.clock);
		this.limiters = { open: (key, limits) => new RedisRateLimiter(connection, key, limits) };
	}

	/** Sends the buffered metrics; everything else was written when it happened. */
	async commit(): Promise<CommitReport> {
		const flushed = await this.connection.metrics.flush();
		return { written: flushed.written, bytes: flushed.bytes, droppedBuckets: flushed.droppedBuckets, droppedCacheEntries: 0 };
	}
}
