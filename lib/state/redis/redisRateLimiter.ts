import { MAX_TIMER_MS, sleepWithSignal, validateRateLimits, type RateLimits, type Sleep, type TokenLimiter } from '../../resilience';
import type { RedisConnection } from './connection';
import { LuaScript } from './luaScript';

/**
 * Reserves one request and `tokens` tokens from the limiter's two buckets and returns how many ms the caller
 * must wait before it may go (0 = at once). Both buckets refill continuously by their per-minute amount, on the
 * server's clock, so every process sees one budget.
 *
 * The reservation is taken at once, even when the caller has to wait: a bucket may go below zero, and each
 * later caller waits for the debt before it, so callers are served in the order they reached Redis, with one
 * round trip each and nobody polling. A need above a bucket's capacity waits for a full bucket, then leaves it
 * in debt (it could never fit otherwise), as in the in-process limiter. A changed limit keeps what was spent.
 * The hash expires once both buckets would be full again, which is the same as a fresh one.
 *
 * KEYS[1]: the limiter's hash. ARGV: requests per minute, tokens per minute (0 = unlimited), tokens needed.
 */
const RESERVE = new LuaScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'requests', 'requestsPerMinute', 'tokens', 'tokensPerMinute', 'at')
local elapsed = math.max(0, now - (tonumber(state[5]) or now))
local function level(stored, storedPerMinute, perMinute)
	if perMinute == 0 then return 0 end
	stored = tonumber(stored)
	storedPerMinute = tonumber(storedPerMinute)
	if stored == nil or storedPerMinute == nil or storedPerMinute == 0 then return perMinute end
	stored = math.min(storedPerMinute, stored + elapsed * storedPerMinute / 60000)
	return perMinute - (storedPerMinute - stored)
end
local function wait(current, perMinute, need)
	if perMinute == 0 then return 0 end
	local deficit = math.min(need, perMinute) - current
	if deficit <= 1e-9 then return 0 end
	return math.ceil(deficit * 60000 / perMinute)
end
local function untilFull(current, perMinute)
	if perMinute == 0 then return 0 end
	return (perMinute - current) * 60000 / perMinute
end
local requestsPerMinute = tonumber(ARGV[1])
local tokensPerMinute = tonumber(ARGV[2])
local need = tonumber(ARGV[3])
local requests = level(state[1], state[2], requestsPerMinute)
local tokens = level(state[3], state[4], tokensPerMinute)
local waitMs = math.max(wait(requests, requestsPerMinute, 1), wait(tokens, tokensPerMinute, need))
if requestsPerMinute > 0 then requests = requests - 1 end
if tokensPerMinute > 0 then tokens = tokens - need end
redis.call('HSET', KEYS[1],
	'requests', string.format('%.17g', requests), 'requestsPerMinute', ARGV[1],
	'tokens', string.format('%.17g', tokens), 'tokensPerMinute', ARGV[2],
	'at', string.format('%.17g', now))
local full = math.max(untilFull(requests, requestsPerMinute), untilFull(tokens, tokensPerMinute))
redis.call('PEXPIRE', KEYS[1], math.ceil(full) + 1000)
return waitMs
`);

/** Gives back a reservation whose caller stopped waiting (aborted); a refill caps the buckets again. */
const REFUND = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if tonumber(redis.call('HGET', KEYS[1], 'requestsPerMinute') or '0') > 0 then redis.call('HINCRBYFLOAT', KEYS[1], 'requests', 1) end
if tonumber(redis.call('HGET', KEYS[1], 'tokensPerMinute') or '0') > 0 then redis.call('HINCRBYFLOAT', KEYS[1], 'tokens', ARGV[1]) end
return 1
`);

/**
 * A rate limiter whose budget lives in Redis and is shared by every process using the same key (a credential
 * fingerprint). Throws `RedisUnavailableError` before any wait when Redis cannot take the reservation; the
 * fallback store then limits in-process.
 */
export class RedisRateLimiter implements TokenLimiter {
	private readonly limits: Required<RateLimits>;

	constructor(
		private readonly connection: RedisConnection,
		private readonly key: string,
		limits: RateLimits,
		private readonly sleep: Sleep = sleepWithSignal,
	) {
		this.limits = validateRateLimits(limits);
	}

	get currentLimits(): Readonly<Required<RateLimits>> {
		return this.limits;
	}

	async acquire(tokens: number, signal?: AbortSignal): Promise<number> {
		if (!Number.isFinite(tokens) || tokens < 0) throw new TypeError(`Expected \`tokens\` to be a number from 0 and up, got ${tokens}`);
		if (signal?.aborted) throw signal.reason;
		const { requestsPerMinute, tokensPerMinute } = this.limits;
		if (requestsPerMinute === 0 && tokensPerMinute === 0) return 0;
		const bucket = this.connection.keys.rateLimiter(this.key);
		const waitMs = Number(
			await this.connection.run((client) => RESERVE.run(client, [bucket], [requestsPerMinute, tokensPerMinute, tokens])),
		);
		if (!(waitMs > 0)) return 0;
		const started = this.connection.clock.now();
		try {
			// A wait beyond what one timer can hold (a tiny limit deep in debt) is taken in parts.
			for (let left = waitMs; left > 0; left -= MAX_TIMER_MS) await this.sleep(Math.min(left, MAX_TIMER_MS), signal);
		} catch (error) {
			await this.connection.run((client) => REFUND.run(client, [bucket], [tokens])).catch(() => undefined);
			throw error;
		}
		return Math.max(waitMs, this.connection.clock.now() - started);
	}
}
