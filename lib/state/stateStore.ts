import type { CacheEntry, CacheLimits, CacheStats, SetOptions } from '../cache';
import type { RecordEntry } from './recordStore';
import type { NearDuplicateIndex } from '../dedup';
import type { RateLimits, TokenLimiter } from '../resilience';
import type { CounterSet, MetricEvent, MetricsWindow, SeriesId } from '../metrics';
import type { JsonValue } from '../shared/json';
import type { ProcessState } from './processState';

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
 * One workflow's named caches, with what goes with a cache: coalescing of identical calls in flight and the
 * near-duplicate index kept beside a cache namespace.
 */
export interface StateCaches {
	/** The named cache, created on first use and resized when `limits` change. */
	open(namespace: string, limits: CacheLimits): CacheHandle;
	/**
	 * Runs `work` once for concurrent callers with the same key (identical requests in flight at the same time),
	 * for every execution of every workflow on the backend; the others get its result with `shared: true`.
	 */
	coalesce<T>(key: string, work: () => Promise<T>): Promise<{ value: T; shared: boolean }>;
	/** The near-duplicate prompt index that goes with a cache namespace (memory only). */
	nearDuplicates(namespace: string): NearDuplicateIndex;
	/** Every cache of the scope with its counters and limits. */
	reports(scope?: MetricsQuery['scope']): Promise<CacheReport[]>;
}

/** Named values kept with the workflow (settings, alert state, libraries); last writer wins per key. */
export interface StateRecords {
	get(key: string): Promise<RecordEntry | undefined>;
	set(key: string, value: JsonValue): Promise<void>;
	delete(key: string): Promise<boolean>;
	/** Live records whose key starts with `prefix`, sorted by key. */
	list(prefix?: string): Promise<RecordEntry[]>;
}

/** The workflow's metric events: recorded by every node, read back by reports. */
export interface StateMetrics {
	/** Records one metric event; cheap and synchronous (a backend may buffer until `commit`). */
	record(event: MetricEvent): void;
	read(query?: MetricsQuery): Promise<MetricsReading[]>;
	/** Minute-by-minute sums over the window, oldest first; `filter` selects series. */
	minuteSeries(
		query: Required<MetricsWindow> & Pick<MetricsQuery, 'scope'>,
		filter?: (series: SeriesId & { workflowId: string }) => boolean,
	): Promise<Array<{ minute: number; counters: CounterSet }>>;
	/** Forgets the metrics of the scope; returns how many workflows were reset. */
	reset(scope?: MetricsQuery['scope']): Promise<number>;
}

/** Rate limiters by key (e.g. a credential fingerprint), shared by the whole process (by every process on a shared backend). */
export interface StateLimiters {
	/** The limiter with this key, created on first use and re-limited when `limits` change. */
	open(key: string, limits: RateLimits): TokenLimiter;
}

/**
 * The state of one workflow's nodes for one execution, by capability: a node uses the parts it needs. Open one
 * per node execution, use it, then `commit()` once. What only this process holds (span starts, process-wide
 * helper objects) is on `process`, the same for every backend.
 */
export interface StateStore {
	readonly backend: StateBackendKind;
	readonly workflowId: string;
	/** The process-wide layer this store is opened on. */
	readonly process: ProcessState;
	readonly caches: StateCaches;
	readonly records: StateRecords;
	readonly metrics: StateMetrics;
	readonly limiters: StateLimiters;
	/** Persists what changed; call once when the node finishes, also after errors. */
	commit(): Promise<CommitReport>;
}
