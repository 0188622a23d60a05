import type { CacheEntry, CacheLimits, CacheStats, SetOptions } from '../../cache';
import type { NearDuplicateIndex } from '../../dedup';
import type { CounterSet, MetricEvent, MetricsWindow, SeriesId } from '../../metrics';
import type { RateLimits, TokenLimiter } from '../../resilience';
import type { JsonValue } from '../../shared/json';
import type { RecordEntry } from '../recordStore';
import type {
	CacheHandle,
	CacheReport,
	CommitReport,
	MetricsQuery,
	MetricsReading,
	StateBackendKind,
	StateStore,
} from '../stateStore';
import { RedisUnavailableError } from './errors';
import type { RedisHealth } from './health';
import type { RedisStateStore } from './redisStateStore';

export interface FallbackStateStoreOptions {
	primary: RedisStateStore;
	/** Serves while Redis is unavailable, e.g. a `StaticDataStateStore` for the same workflow. */
	fallback: StateStore;
}

/** Runs `primary`; when Redis did not serve it, runs `fallback` instead and tells `onFallback`. */
async function preferRedis<T>(primary: () => Promise<T>, fallback: () => Promise<T>, onFallback: () => void): Promise<T> {
	try {
		return await primary();
	} catch (error) {
		if (!(error instanceof RedisUnavailableError)) throw error;
		onFallback();
		return fallback();
	}
}

/**
 * The Redis store as nodes should use it: a call never fails only because Redis is down or slow. Each call goes
 * to Redis unless the connection's circuit is open; when Redis does not serve it (error, or no answer within the
 * command timeout), the same call is served by the in-process fallback store. The connection logs one warning
 * per outage and one when Redis is back, and `backend` reads `degraded` in between.
 *
 * While degraded, each process works on its own: caches, records and rate limits are per process, and what
 * was written to the fallback is not copied to Redis afterwards (caches refill; a record saved during an outage
 * must be saved again). Metrics are never lost: they stay buffered for Redis until it takes them, and are also
 * recorded in the fallback while the circuit is open so that reports during the outage show this process's
 * recent activity. Coalescing and span starts need no fallback (see {@link RedisStateStore.coalesce}).
 */
export class FallbackStateStore implements StateStore {
	readonly workflowId: string;
	private readonly primary: RedisStateStore;
	private readonly fallback: StateStore;
	private readonly health: RedisHealth;
	/** Whether the fallback holds something of this execution that its `commit` should persist. */
	private fallbackUsed = false;
	private readonly useFallback = () => {
		this.fallbackUsed = true;
	};

	constructor(options: FallbackStateStoreOptions) {
		if (options.primary.workflowId !== options.fallback.workflowId) {
			throw new TypeError(
				`Expected the fallback store to be for workflow ${options.primary.workflowId}, got ${options.fallback.workflowId}`,
			);
		}
		this.primary = options.primary;
		this.fallback = options.fallback;
		this.health = options.primary.connection.health;
		this.workflowId = options.primary.workflowId;
	}

	/** `redis` while Redis serves, `degraded` while the connection's circuit is open (calls use the fallback). */
	get backend(): StateBackendKind {
		return this.health.up ? 'redis' : 'degraded';
	}

	cache(namespace: string, limits: CacheLimits): CacheHandle {
		// The fallback's cache is opened on first need: an in-memory cache reserves room for its limits up front.
		let fallback: CacheHandle | undefined;
		return new FallbackCacheHandle(
			this.primary.cache(namespace, limits),
			() => (fallback ??= this.fallback.cache(namespace, limits)),
			this.useFallback,
		);
	}

	coalesce<T>(key: string, work: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
		return this.primary.coalesce(key, work);
	}

	rateLimiter(key: string, limits: RateLimits): TokenLimiter {
		const primary = this.primary.rateLimiter(key, limits);
		return {
			acquire: (tokens, signal) =>
				preferRedis(
					() => primary.acquire(tokens, signal),
					() => this.fallback.rateLimiter(key, limits).acquire(tokens, signal),
					() => undefined,
				),
		};
	}

	nearDuplicates(namespace: string): NearDuplicateIndex {
		return this.primary.nearDuplicates(namespace);
	}

	processShared<T>(name: string, create: () => T): T {
		return this.primary.processShared(name, create);
	}

	record(event: MetricEvent): void {
		this.primary.record(event);
		if (!this.health.up) {
			this.fallback.record(event);
			this.fallbackUsed = true;
		}
	}

	readMetrics(query?: MetricsQuery): Promise<MetricsReading[]> {
		return preferRedis(
			() => this.primary.readMetrics(query),
			() => this.fallback.readMetrics(query),
			this.useFallback,
		);
	}

	readMinuteSeries(
		query: Required<MetricsWindow> & Pick<MetricsQuery, 'scope'>,
		filter?: (series: SeriesId & { workflowId: string }) => boolean,
	): Promise<Array<{ minute: number; counters: CounterSet }>> {
		return preferRedis(
			() => this.primary.readMinuteSeries(query, filter),
			() => this.fallback.readMinuteSeries(query, filter),
			this.useFallback,
		);
	}

	getRecord(key: string): Promise<RecordEntry | undefined> {
		return preferRedis(
			() => this.primary.getRecord(key),
			() => this.fallback.getRecord(key),
			this.useFallback,
		);
	}

	setRecord(key: string, value: JsonValue): Promise<void> {
		return preferRedis(
			() => this.primary.setRecord(key, value),
			() => this.fallback.setRecord(key, value),
			this.useFallback,
		);
	}

	deleteRecord(key: string): Promise<boolean> {
		return preferRedis(
			() => this.primary.deleteRecord(key),
			() => this.fallback.deleteRecord(key),
			this.useFallback,
		);
	}

	listRecords(prefix?: string): Promise<RecordEntry[]> {
		return preferRedis(
			() => this.primary.listRecords(prefix),
			() => this.fallback.listRecords(prefix),
			this.useFallback,
		);
	}

	resetMetrics(scope?: MetricsQuery['scope']): Promise<number> {
		return preferRedis(
			() => this.primary.resetMetrics(scope),
			() => this.fallback.resetMetrics(scope),
			this.useFallback,
		);
	}

	cacheReports(scope?: MetricsQuery['scope']): Promise<CacheReport[]> {
		return preferRedis(
			() => this.primary.cacheReports(scope),
			() => this.fallback.cacheReports(scope),
			this.useFallback,
		);
	}

	markSpanStart(key: string, at: number): void {
		this.primary.markSpanStart(key, at);
	}

	takeSpanStart(key: string): number | undefined {
		return this.primary.takeSpanStart(key);
	}

	/**
	 * Sends the buffered metrics to Redis (kept for the next commit when Redis is away), and commits the fallback
	 * when this execution used it.
	 */
	async commit(): Promise<CommitReport> {
		let report: CommitReport = { written: false, bytes: 0, droppedBuckets: 0, droppedCacheEntries: 0 };
		try {
			report = await this.primary.commit();
		} catch (error) {
			if (!(error instanceof RedisUnavailableError)) throw error;
			this.fallbackUsed = true;
		}
		if (!this.fallbackUsed) return report;
		const local = await this.fallback.commit();
		return {
			written: report.written || local.written,
			bytes: report.bytes + local.bytes,
			droppedBuckets: report.droppedBuckets + local.droppedBuckets,
			droppedCacheEntries: report.droppedCacheEntries + local.droppedCacheEntries,
		};
	}
}

/** One cache served by Redis, or by the fallback's cache of the same name while Redis is unavailable. */
class FallbackCacheHandle implements CacheHandle {
	constructor(
		private readonly primary: CacheHandle,
		private readonly fallback: () => CacheHandle,
		private readonly onFallback: () => void,
	) {}

	get namespace(): string {
		return this.primary.namespace;
	}

	get(key: string): Promise<CacheEntry | undefined> {
		return preferRedis(
			() => this.primary.get(key),
			() => this.fallback().get(key),
			this.onFallback,
		);
	}

	set(key: string, value: JsonValue, options?: SetOptions): Promise<void> {
		return preferRedis(
			() => this.primary.set(key, value, options),
			() => this.fallback().set(key, value, options),
			this.onFallback,
		);
	}

	delete(key: string): Promise<boolean> {
		return preferRedis(
			() => this.primary.delete(key),
			() => this.fallback().delete(key),
			this.onFallback,
		);
	}

	stats(): Promise<CacheStats> {
		return preferRedis(
			() => this.primary.stats(),
			() => this.fallback().stats(),
			this.onFallback,
		);
	}
}
