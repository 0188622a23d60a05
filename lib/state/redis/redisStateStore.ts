import type { CacheLimits } from '../../cache';
import type { NearDuplicateIndex } from '../../dedup';
import type { CounterSet, MetricEvent, MetricsWindow, SeriesId } from '../../metrics';
import type { RateLimits, TokenLimiter } from '../../resilience';
import type { JsonValue } from '../../shared/json';
import type { ProcessState } from '../processState';
import type { RecordEntry } from '../recordStore';
import type { CacheHandle, CacheReport, CommitReport, MetricsQuery, MetricsReading, StateStore } from '../stateStore';
import type { RedisConnection } from './connection';
import { readCacheReport, RedisCacheHandle } from './redisCache';
import { RedisMetricsReader } from './metricsReader';
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
 * Its async methods, except `coalesce`, reject with `RedisUnavailableError` when Redis does not serve them (after
 * at most about one command timeout); wrap the store in a {@link FallbackStateStore} so callers never see that.
 */
export class RedisStateStore implements StateStore {
	readonly backend = 'redis' as const;
	readonly workflowId: string;
	readonly connection: RedisConnection;
	private readonly process: ProcessState;
	private readonly records: RedisRecords;
	private readonly metrics: RedisMetricsReader;

	constructor(options: RedisStateStoreOptions) {
		this.connection = options.connection;
		this.process = options.process;
		this.workflowId = options.workflowId;
		this.records = new RedisRecords(this.connection, this.workflowId);
		this.metrics = new RedisMetricsReader(this.connection);
	}

	cache(namespace: string, limits: CacheLimits): CacheHandle {
		return new RedisCacheHandle(this.connection, this.workflowId, namespace, limits);
	}

	/**
	 * Runs `work` once for concurrent callers with the same key across every process on this Redis; the others
	 * get its result with `shared: true`. The result must be JSON-serialisable: other processes receive a JSON copy
	 * (callers in this process get the value itself). A value JSON cannot carry (`undefined` members, a `Date`)
	 * reaches the other processes as JSON makes it. Never fails because of Redis: without it, the work runs here.
	 */
	coalesce<T>(key: string, work: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
		return this.connection.flights.run(key, work);
	}

	rateLimiter(key: string, limits: RateLimits): TokenLimiter {
		return new RedisRateLimiter(this.connection, key, limits);
	}

	nearDuplicates(namespace: string): NearDuplicateIndex {
		return this.process.workflow(this.workflowId).nearDuplicates(namespace);
	}

	processShared<T>(name: string, create: () => T): T {
		return this.process.shared(name, create);
	}

	record(event: MetricEvent): void {
		this.connection.metrics.record(this.workflowId, event, event.at ?? this.process.clock.now());
	}

	async readMetrics(query: MetricsQuery = {}): Promise<MetricsReading[]> {
		// What this process recorded is part of the answer, as it is in memory.
		await this.connection.metrics.flush();
		return this.metrics.read(this.workflowId, query);
	}

	async readMinuteSeries(
		query: Required<MetricsWindow> & Pick<MetricsQuery, 'scope'>,
		filter?: (series: SeriesId & { workflowId: string }) => boolean,
	): Promise<Array<{ minute: number; counters: CounterSet }>> {
		await this.connection.metrics.flush();
		return this.metrics.minuteSeries(this.workflowId, query, filter);
	}

	getRecord(key: string): Promise<RecordEntry | undefined> {
		return this.records.get(key);
	}

	setRecord(key: string, value: JsonValue): Promise<void> {
		return this.records.set(key, value);
	}

	deleteRecord(key: string): Promise<boolean> {
		return this.records.delete(key);
	}

	listRecords(prefix?: string): Promise<RecordEntry[]> {
		return this.records.list(prefix);
	}

	/**
	 * Deletes the metric keys of the scope, and what this process has buffered for it. Counts other processes
	 * still buffer from before the reset land afterwards (there is no reset epoch across processes).
	 */
	async resetMetrics(scope: MetricsQuery['scope'] = 'workflow'): Promise<number> {
		this.connection.metrics.discard(scope === 'all' ? undefined : new Set([this.workflowId]));
		return this.metrics.reset(this.workflowId, scope);
	}

	async cacheReports(scope: MetricsQuery['scope'] = 'workflow'): Promise<CacheReport[]> {
		const { keys } = this.connection;
		return this.connection.run(async (client) => {
			const workflowIds = await this.metrics.workflowsInScope(client, this.workflowId, scope);
			const namespaces = await Promise.all(workflowIds.map(async (workflowId) => (await client.smembers(keys.caches(workflowId))).sort()));
			return Promise.all(
				workflowIds.flatMap((workflowId, index) =>
					namespaces[index].map((namespace) => readCacheReport(this.connection, client, workflowId, namespace)),
				),
			);
		});
	}

	markSpanStart(key: string, at: number): void {
		this.process.markSpanStart(key, at);
	}

	takeSpanStart(key: string): number | undefined {
		return this.process.takeSpanStart(key);
	}

	/** Sends the buffered metrics; everything else was written when it happened. */
	async commit(): Promise<CommitReport> {
		const flushed = await this.connection.metrics.flush();
		return { written: flushed.written, bytes: flushed.bytes, droppedBuckets: flushed.droppedBuckets, droppedCacheEntries: 0 };
	}
}
