import type { Redis } from 'ioredis';
import { DEFAULT_CACHE_MAX_BYTES, resolveCacheLimits, type CacheEntry, type CacheLimits, type CacheStats, type SetOptions } from '../../cache';
import { isPlainObject, type JsonValue } from '../../shared/json';
import type { CacheHandle, CacheReport } from '../stateStore';
import type { RedisConnection } from './connection';
import { LUA_DIGITS, LUA_NOW_MS, LuaScript } from './luaScript';

/** The same default as the in-memory cache, so both backends report the same limits. */
/** Expired members a write clears from the bookkeeping on its way; reports clear up to the larger number. */
const PRUNE_ON_WRITE = 100;
const PRUNE_ON_REPORT = 10_000;

/**
 * Shared by the cache scripts. KEYS: 1 order (members by insertion), 2 expiry (members by expiry ms),
 * 3 sizes (member -> bytes), 4 stats (counters and limits), 5 entry, 6 the workflow's cache namespaces,
 * 7 all workflows. ARGV[1]: the prefix that makes a member an entry key.
 */
const CACHE_LUA = `${LUA_NOW_MS}${LUA_DIGITS}
-- HINCRBY refuses "-0", which is how Lua prints a negated zero: adjust only by a non-zero amount.
local function adjust(field, amount)
	if amount ~= 0 then redis.call('HINCRBY', KEYS[4], field, digits(amount)) end
end
local function forget(member)
	redis.call('ZREM', KEYS[1], member)
	redis.call('ZREM', KEYS[2], member)
	local size = tonumber(redis.call('HGET', KEYS[3], member) or '0')
	redis.call('HDEL', KEYS[3], member)
	redis.call('DEL', ARGV[1] .. member)
	return size
end
-- Redis already dropped the values of expired entries (PX); this drops them from order, sizes and bytes.
local function prune(now, limit)
	local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', digits(now), 'LIMIT', 0, limit)
	local bytes = 0
	for _, member in ipairs(expired) do bytes = bytes + forget(member) end
	adjust('expirations', #expired)
	adjust('bytes', -bytes)
end
local function register(namespace, workflowId, maxEntries, maxBytes, ttlMs)
	redis.call('SADD', KEYS[6], namespace)
	redis.call('SADD', KEYS[7], workflowId)
	redis.call('HSET', KEYS[4], 'maxEntries', maxEntries, 'maxBytes', maxBytes, 'ttlMs', ttlMs)
end
`;

/** ARGV: prefix, member, namespace, workflow, maxEntries, maxBytes, ttlMs. Returns the entry JSON or nil. */
const GET = new LuaScript(`${CACHE_LUA}
register(ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7])
local entry = redis.call('GET', KEYS[5])
if entry then redis.call('HINCRBY', KEYS[4], 'hits', 1) else redis.call('HINCRBY', KEYS[4], 'misses', 1) end
return entry
`);

/**
 * ARGV: prefix, member, namespace, workflow, maxEntries, maxBytes, ttlMs, value JSON, this entry's TTL (ms, 0 =
 * none), persist (true/false), size. Stores the entry with the server's time, then evicts the oldest entries
 * while the cache is over either limit. An entry larger than the whole cache is not kept, as in memory.
 */
const SET = new LuaScript(`${CACHE_LUA}
local now = now_ms()
register(ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7])
prune(now, ${PRUNE_ON_WRITE})
redis.call('HINCRBY', KEYS[4], 'sets', 1)
local member = ARGV[2]
local maxEntries = tonumber(ARGV[5])
local maxBytes = tonumber(ARGV[6])
local ttl = tonumber(ARGV[9])
local size = tonumber(ARGV[11])
if size > maxBytes then return 0 end
if redis.call('HEXISTS', KEYS[3], member) == 1 then adjust('bytes', -forget(member)) end
local expiresAt = 0
if ttl > 0 then expiresAt = now + ttl end
local entry = '{"storedAt":' .. digits(now) .. ',"expiresAt":' .. digits(expiresAt) .. ',"persist":' .. ARGV[10] ..
	',"size":' .. digits(size) .. ',"value":' .. ARGV[8] .. '}'
if ttl > 0 then
	redis.call('SET', KEYS[5], entry, 'PX', ARGV[9])
	redis.call('ZADD', KEYS[2], digits(expiresAt), member)
else
	redis.call('SET', KEYS[5], entry)
	redis.call('ZADD', KEYS[2], 'inf', member)
end
-- Insertion order by a counter, not by time: two sets in one millisecond still have an order.
redis.call('ZADD', KEYS[1], redis.call('HINCRBY', KEYS[4], 'order', 1), member)
redis.call('HSET', KEYS[3], member, size)
local bytes = redis.call('HINCRBY', KEYS[4], 'bytes', size)
local evicted = 0
local freed = 0
while redis.call('ZCARD', KEYS[1]) > maxEntries or bytes - freed > maxBytes do
	local oldest = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
	if not oldest then break end
	freed = freed + forget(oldest)
	evicted = evicted + 1
end
adjust('evictions', evicted)
adjust('bytes', -freed)
return 1
`);

/** ARGV: prefix, member. Returns 1 when a live entry was deleted. */
const DELETE = new LuaScript(`${CACHE_LUA}
local existed = redis.call('EXISTS', KEYS[5])
if redis.call('HEXISTS', KEYS[3], ARGV[2]) == 1 then
	adjust('bytes', -forget(ARGV[2]))
else
	redis.call('DEL', KEYS[5])
end
return existed
`);

/** KEYS 1-4 only; ARGV: prefix. Clears expired members, then returns { entries, stats hash as a flat list }. */
const STATS = new LuaScript(`${CACHE_LUA}
prune(now_ms(), ${PRUNE_ON_REPORT})
return { redis.call('ZCARD', KEYS[1]), redis.call('HGETALL', KEYS[4]) }
`);

function parseEntry(json: unknown): CacheEntry | undefined {
	if (typeof json !== 'string') return undefined;
	try {
		const entry: unknown = JSON.parse(json);
		if (!isPlainObject(entry) || !('value' in entry) || typeof entry.storedAt !== 'number' || typeof entry.expiresAt !== 'number') {
			return undefined;
		}
		return {
			value: entry.value as JsonValue,
			storedAt: entry.storedAt,
			expiresAt: entry.expiresAt,
			persist: entry.persist !== false,
			size: typeof entry.size === 'number' ? entry.size : json.length,
		};
	} catch {
		return undefined;
	}
}

function countOf(hash: Record<string, string>, field: string): number {
	const value = Number(hash[field] ?? 0);
	return Number.isFinite(value) ? value : 0;
}

/** Whole milliseconds for PX, never 0 (which Redis refuses) for a positive TTL. */
function wholeTtl(ttlMs: number): number {
	return ttlMs > 0 ? Math.max(1, Math.ceil(ttlMs)) : 0;
}

/**
 * One workflow's named cache in Redis. Every entry is its own key with a Redis TTL, so memory is bounded by
 * Redis even if nothing here runs again; an index per cache keeps the entry and byte limits, evicting the
 * oldest insertions first. Reads do not change the order (unlike the in-memory LRU), which spares Redis a write
 * per hit.
 */
export class RedisCacheHandle implements CacheHandle {
	private readonly limits: Required<CacheLimits>;

	constructor(
		private readonly connection: RedisConnection,
		private readonly workflowId: string,
		readonly namespace: string,
		limits: CacheLimits,
	) {
		this.limits = resolveCacheLimits(limits);
	}

	async get(key: string): Promise<CacheEntry | undefined> {
		const json = await this.connection.run((client) =>
			GET.run(client, this.keysFor(key, true), [...this.head(key), ...this.registration()]),
		);
		return parseEntry(json);
	}

	async set(key: string, value: JsonValue, options: SetOptions = {}): Promise<void> {
		const json = JSON.stringify(value);
		const ttlMs = options.ttlMs ?? this.limits.ttlMs;
		if (!Number.isFinite(ttlMs) || ttlMs < 0) throw new TypeError(`Expected \`ttlMs\` to be a number from 0 and up, got ${ttlMs}`);
		const size = key.length + Buffer.byteLength(json, 'utf8');
		const args = [...this.head(key), ...this.registration(), json, wholeTtl(ttlMs), options.persist === false ? 'false' : 'true', size];
		await this.connection.run((client) => SET.run(client, this.keysFor(key, true), args));
	}

	async delete(key: string): Promise<boolean> {
		const deleted = await this.connection.run((client) => DELETE.run(client, this.keysFor(key, false), this.head(key)));
		return deleted === 1;
	}

	async stats(): Promise<CacheStats> {
		return (await this.connection.run((client) => readCacheReport(this.connection, client, this.workflowId, this.namespace))).stats;
	}

	private keysFor(key: string, withRegistries: boolean): string[] {
		const { keys } = this.connection;
		const list = [
			keys.cacheOrder(this.workflowId, this.namespace),
			keys.cacheExpiry(this.workflowId, this.namespace),
			keys.cacheSizes(this.workflowId, this.namespace),
			keys.cacheStats(this.workflowId, this.namespace),
			keys.cacheEntry(this.workflowId, this.namespace, key),
		];
		if (withRegistries) list.push(keys.caches(this.workflowId), keys.workflows());
		return list;
	}

	private head(key: string): string[] {
		return [this.connection.keys.cacheEntryPrefix(this.workflowId, this.namespace), this.connection.keys.cacheMember(key)];
	}

	private registration(): Array<string | number> {
		return [this.namespace, this.workflowId, this.limits.maxEntries, this.limits.maxBytes, this.limits.ttlMs];
	}
}

/** A cache's counters (after clearing its expired entries) and its last configured limits. */
export async function readCacheReport(
	connection: RedisConnection,
	client: Redis,
	workflowId: string,
	namespace: string,
): Promise<CacheReport> {
	const { keys } = connection;
	const reply = (await STATS.run(
		client,
		[
			keys.cacheOrder(workflowId, namespace),
			keys.cacheExpiry(workflowId, namespace),
			keys.cacheSizes(workflowId, namespace),
			keys.cacheStats(workflowId, namespace),
		],
		[keys.cacheEntryPrefix(workflowId, namespace)],
	)) as [number, string[]];
	const hash: Record<string, string> = {};
	for (let index = 0; index + 1 < reply[1].length; index += 2) hash[reply[1][index]] = reply[1][index + 1];
	return {
		workflowId,
		namespace,
		stats: {
			entries: reply[0],
			bytes: Math.max(0, countOf(hash, 'bytes')),
			hits: countOf(hash, 'hits'),
			misses: countOf(hash, 'misses'),
			sets: countOf(hash, 'sets'),
			evictions: countOf(hash, 'evictions'),
			expirations: countOf(hash, 'expirations'),
		},
		limits: {
			maxEntries: countOf(hash, 'maxEntries'),
			maxBytes: hash.maxBytes === undefined ? DEFAULT_CACHE_MAX_BYTES : countOf(hash, 'maxBytes'),
			ttlMs: countOf(hash, 'ttlMs'),
		},
	};
}
