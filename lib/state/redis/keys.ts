import { seriesKey, type SeriesId } from '../../metrics';

/**
 * Makes a caller-supplied part safe between `:` separators: two different (workflow, namespace, key) triples
 * can never build the same key, whatever characters a workflow id or node name holds.
 */
function part(text: string): string {
	return text.replace(/%/g, '%25').replace(/:/g, '%3A');
}

/**
 * Every Redis key of the backend, built here and nowhere else, so that one file says what lives where.
 *
 * No hash tags: the target is one Redis server (with or without replicas). Redis Cluster is not supported,
 * because the cache and metrics scripts also touch keys named by their arguments (an evicted entry, a minute bucket).
 */
export class RedisKeys {
	constructor(readonly prefix: string) {}

	/** Every workflow that has state here, for `scope: 'all'` reads. */
	workflows(): string {
		return `${this.prefix}workflows`;
	}

	/** Namespaces of the workflow's caches, for cache reports. */
	caches(workflowId: string): string {
		return `${this.prefix}caches:${part(workflowId)}`;
	}

	/** What a cache entry's key is made of after {@link RedisKeys.cacheEntryPrefix}; also its member in the indexes. */
	cacheMember(key: string): string {
		return part(key);
	}

	/** Cache entries are `{prefix}c:{workflow}:{namespace}:{member}`, each a string holding the entry as JSON. */
	cacheEntryPrefix(workflowId: string, namespace: string): string {
		return `${this.prefix}c:${part(workflowId)}:${part(namespace)}:`;
	}

	cacheEntry(workflowId: string, namespace: string, key: string): string {
		return this.cacheEntryPrefix(workflowId, namespace) + this.cacheMember(key);
	}

	/** Sorted set of members by insertion order: the oldest leave first when the cache is over its limits. */
	cacheOrder(workflowId: string, namespace: string): string {
		return `${this.prefix}ci:${part(workflowId)}:${part(namespace)}`;
	}

	/** Sorted set of members by expiry time (ms), so expired members leave the order and size bookkeeping. */
	cacheExpiry(workflowId: string, namespace: string): string {
		return `${this.prefix}ce:${part(workflowId)}:${part(namespace)}`;
	}

	/** Hash of member -> approximate bytes, for `maxBytes` and the `bytes` statistic. */
	cacheSizes(workflowId: string, namespace: string): string {
		return `${this.prefix}cz:${part(workflowId)}:${part(namespace)}`;
	}

	/** Hash of the cache's counters and its last configured limits. */
	cacheStats(workflowId: string, namespace: string): string {
		return `${this.prefix}cs:${part(workflowId)}:${part(namespace)}`;
	}

	/** Hash of record key -> `{ value, updatedAt }` JSON. */
	records(workflowId: string): string {
		return `${this.prefix}rec:${part(workflowId)}`;
	}

	/** Held by the process running a coalesced call; the value is that run's token. */
	flightLock(key: string): string {
		return `${this.prefix}lock:${part(key)}`;
	}

	/** The result of one run of a coalesced call, for the processes that waited on it. */
	flightResult(key: string, token: string): string {
		return `${this.prefix}flight:${part(key)}:${token}`;
	}

	/** Hash holding one rate limiter's two token buckets. */
	rateLimiter(key: string): string {
		return `${this.prefix}rl:${part(key)}`;
	}

	/** Workflow's series, each member the JSON of a {@link SeriesId}. */
	series(workflowId: string): string {
		return `${this.prefix}series:${part(workflowId)}`;
	}

	/** Hash of a series' counters: all-time (`'all'`) or one minute (minute number = epoch ms / 60 000). */
	metrics(workflowId: string, series: SeriesId, minute: number | 'all'): string {
		return `${this.prefix}m:${part(workflowId)}:${part(seriesKey(series))}:${minute}`;
	}

	/** Sorted set of the minutes a series has a bucket for (score = member = minute number). */
	metricsMinutes(workflowId: string, series: SeriesId): string {
		return `${this.prefix}mi:${part(workflowId)}:${part(seriesKey(series))}`;
	}

	/** The last metrics batch applied from one writer (one process's connection), so a retried batch is not counted twice. */
	metricsSequence(writerId: string): string {
		return `${this.prefix}mseq:${writerId}`;
	}
}
