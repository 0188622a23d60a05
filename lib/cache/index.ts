export { BoundedCache, DEFAULT_CACHE_MAX_BYTES, resolveCacheLimits, type CacheEntry, type CacheLimits, type CacheStats, type SetOptions } from './boundedCache';
export { SingleFlight } from './singleFlight';
