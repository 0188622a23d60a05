import type { CacheEntry, CacheLimits, CacheStats, SetOptions } from '../cache';
import type { RecordEntry } from './recordStore';
import type { NearDuplicateIndex } from '../dedup';
import type { RateLimits, TokenLimiter } from '../resilience';
import type { CounterSet, MetricEvent, MetricsWindow, SeriesId } from '../metrics';
import type { JsonValue } from '../shared/json';

/**
 * Where node state lives. Nodes talk only to {@link StateStore}, so a backend can change without touching them.
 * `degraded`: Redis is configured but unreachable, and this process serves from its in-process fallback.
 */
export type StateBackendKind = 'static-data' | 'redis' | 'degraded';

/** One named cache inside a store (e.g. one AI node's responses). */
export interface CacheHandle {
	readonly namespace: string;
	get(key: string): Promise<CacheEntry | undefined>;
	set(key: string, value: JsonValue, options?: SetOptions): Promise<void>;
	delete(key: string): Promise<boolean>;
	stats(): Promise<CacheStats>;
}

/** A series' counters for one workflow, as read back for reports. */
export interface MetricsReading extends SeriesId {
	workflowId: string;
	counters: CounterSet;
}

export interface MetricsQuery extends MetricsWindow {
	/** `workflow`: the store's own workflow; `all`: every workflow the backend knows of. @default 'workflow' */
	scope?: 'workflow' | 'all';
}

/** One cache as seen by reports. */
export interface CacheReport {
	workflowId: string;
	namespace: string;
	stats: CacheStats;
	limits: { maxEntries: number; maxBytes: number; ttlMs: number };
}

export interface CommitReport {
	/** Whether the persisted copy was rewritten (false when nothing changed). */
	written: boolean;
	/** Size of the persisted copy, in bytes of JSON. */
	bytes: number;
	/** Minute buckets and cache entries left out to stay under the size cap. */
	droppedBuckets: number;
	droppedCacheEntries: number;
}

/**
 * The state of one workflow's nodes for one execution: caches, metrics, and the write-back point.
 * Open one per node execution, use it, then `commit()` once.
 */
export interface StateStore {
	readonly backend: StateBackendKind;
	readonly workflowId: string;
	/** The named cache, created on first use and resized when `limits` change. */
	cache(namespace: string, limits: CacheLimits): CacheHandle;
	/**
	 * Runs `work` once for concurrent callers with the same key (identical requests in flight at the same time),
	 * within this process for every execution of every workflow; the others get its result with `shared: true`.
	 */
	coalesce<T>(key: string, work: () => Promise<T>): Promise<{ value: T; shared: boolean }>;
	/**
	 * The rate limiter with this key (e.g. a credential fingerprint), shared by the whole process (by every process
	 * on a shared backend).
	 */
	rateLimiter(key: string, limits: RateLimits): TokenLimiter;
	/** The near-duplicate prompt index that goes with a cache namespace (memory only). */
	nearDuplicates(namespace: string): NearDuplicateIndex;
	/**
	 * A process-wide helper object by name (compiled templates, search indexes), created on first use. Never
	 * persisted and never shared between processes: it holds what each process can rebuild.
	 */
	processShared<T>(name: string, create: () => T): T;
	/** Records one metric event; cheap and synchronous (a backend may buffer until `commit`). */
	record(event: MetricEvent): void;
	readMetrics(query?: MetricsQuery): Promise<MetricsReading[]>;
	/** Minute-by-minute sums over the window, oldest first; `filter` selects series. */
	readMinuteSeries(
		query: Required<MetricsWindow> & Pick<MetricsQuery, 'scope'>,
		filter?: (series: SeriesId & { workflowId: string }) => boolean,
	): Promise<Array<{ minute: number; counters: CounterSet }>>;
	/** A named value kept with the workflow (settings, alert state, libraries); last writer wins per key. */
	getRecord(key: string): Promise<RecordEntry | undefined>;
	setRecord(key: string, value: JsonValue): Promise<void>;
	deleteRecord(key: string): Promise<boolean>;
	listRecords(prefix?: string): Promise<RecordEntry[]>;
	/** Forgets the metrics of the scope; returns how many workflows were reset. */
	resetMetrics(scope?: MetricsQuery['scope']): Promise<number>;
	/** Every cache of the scope with its counters and limits. */
	cacheReports(scope?: MetricsQuery['scope']): Promise<CacheReport[]>;
	/** Remembers when a span started (process memory, bounded); `takeSpanStart` returns and forgets it. */
	markSpanStart(key: string, at: number): void;
	takeSpanStart(key: string): number | undefined;
	/** Persists what changed; call once when the node finishes, also after errors. */
	commit(): Promise<CommitReport>;
}
