export { createRedisConnection, RedisConnection, type RedisConnectionDependencies } from './connection';
export { RedisUnavailableError } from './errors';
export { FallbackStateStore, type FallbackStateStoreOptions } from './fallbackStateStore';
export { RedisHealth, type HealthTicket, type RedisHealthOptions } from './health';
export { RedisKeys } from './keys';
export { describeRedisTarget, resolveRedisOptions, type RedisConnectionOptions, type ResolvedRedisOptions } from './options';
export { RedisRateLimiter } from './redisRateLimiter';
export { RedisStateStore, type RedisStateStoreOptions } from './redisStateStore';
