import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

type Argument = string | number;

/**
 * A Lua script run by its SHA-1 (EVALSHA), sending the source only when the server does not know it yet (after
 * a restart or a SCRIPT FLUSH). Scripts are what make our multi-key updates atomic without WATCH round trips.
 */
export class LuaScript {
	private readonly sha: string;

	constructor(private readonly source: string) {
		this.sha = createHash('sha1').update(source).digest('hex');
	}

	async run(client: Redis, keys: readonly string[], args: readonly Argument[]): Promise<unknown> {
		try {
			return await client.evalsha(this.sha, keys.length, ...keys, ...args);
		} catch (error) {
			if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
			return client.eval(this.source, keys.length, ...keys, ...args);
		}
	}
}

/** Epoch ms from the server's clock, so every process measures time by one clock. */
export const LUA_NOW_MS = `
local function now_ms()
	local time = redis.call('TIME')
	return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
`;

/** Whole numbers as digits: Lua's default number formatting switches to exponents past 14 digits. */
export const LUA_DIGITS = `
local function digits(number)
	return string.format('%.0f', number)
end
`;
