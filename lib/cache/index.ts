export { BoundedCache, type CacheEntry, type CacheLimits, type CacheStats, type SetOptions } from './boundedCache';
export { SingleFlight } from './singleFlight';
