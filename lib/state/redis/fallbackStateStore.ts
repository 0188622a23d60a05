import type { ProcessState } from '../processState';
import type {
	CacheHandle,
	CommitReport,
	StateBackendKind,
	StateCaches,
	StateLimiters,
	StateMetrics,
	StateRecords,
	StateStore,
} from '../stateStore';
import { RedisUnavailableError } from './errors';
import type { RedisHealth } from './health';
import { preferRedis } from './preferRedis';
import type { RedisStateStore } from './redisStateStore';

export interface FallbackStateStoreOptions {
	primary: RedisStateStore;
	/** Serves while Redis is unavailable, e.g. a `StaticDataStateStore` for the same workflow. */
	fallback: StateStore;
}

/**
 * The Redis store as nodes should use it: a call never fails only because Redis is down or slow. Each call goes
 * to Redis unless the connection's circuit is open; when Redis does not serve it (error, or no answer within the
 * command timeout), the same call is served by the in-process fallback store ({@link preferRedis}). The
 * connection logs one warning per outage and one when Redis is back, and `backend` reads `degraded` in between.
 *
 * While degraded, each process works on its own: caches, records and rate limits are per process, and what
 * was written to the fallback is not copied to Redis afterwards (caches refill; a record saved during an outage
 * must be saved again). Metrics are never lost: they stay buffered for Redis until it takes them, and are also
 * recorded in the fallback while the circuit is open so that reports during the outage show this process's
 * recent activity. Coalescing needs no fallback (see `RedisCaches.coalesce`).
 */
export class FallbackStateStore implements StateStore {
	readonly workflowId: string;
	readonly process: ProcessState;
	readonly caches: StateCaches;
	readonly records: StateRecords;
	readonly metrics: StateMetrics;
	readonly limiters: StateLimiters;
	private readonly primary: RedisStateStore;
	private readonly fallback: StateStore;
	private readonly health: RedisHealth;
	/** Whether the fallback holds something of this execution that its `commit` should persist. */
	private fallbackUsed = false;

	constructor(options: FallbackStateStoreOptions) {
		const { primary, fallback } = options;
		if (primary.workflowId !== fallback.workflowId) {
			throw new TypeError(`Expected the fallback store to be for workflow ${primary.workflowId}, got ${fallback.workflowId}`);
		}
		this.primary = primary;
		this.fallback = fallback;
		this.health = primary.connection.health;
		this.workflowId = primary.workflowId;
		this.process = primary.process;
		const useFallback = () => {
			this.fallbackUsed = true;
		};
		this.records = preferRedis(primary.records, () => fallback.records, useFallback);
		this.caches = preferRedis(primary.caches, () => fallback.caches, useFallback, {
			open: (namespace, limits) => {
				// The fallback's cache is opened on first need: an in-memory cache reserves room for its limits up front.
				let local: CacheHandle | undefined;
				return preferRedis(primary.caches.open(namespace, limits), () => (local ??= fallback.caches.open(namespace, limits)), useFallback);
			},
			coalesce: (key, work) => primary.caches.coalesce(key, work),
		});
		this.metrics = preferRedis(primary.metrics, () => fallback.metrics, useFallback, {
			record: (event) => {
				primary.metrics.record(event);
				if (!this.health.up) {
					fallback.metrics.record(event);
					useFallback();
				}
			},
		});
		// An in-process limiter has nothing to persist: using it does not make the fallback's commit necessary.
		this.limiters = {
			open: (key, limits) => preferRedis(primary.limiters.open(key, limits), () => fallback.limiters.open(key, limits), () => undefined),
		};
	}

	/** `redis` while Redis serves, `degraded` while the connection's circuit is open (calls use the fallback). */
	get backend(): StateBackendKind {
		return this.health.up ? 'redis' : 'degraded';
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
