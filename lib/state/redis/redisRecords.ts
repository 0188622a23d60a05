import { isPlainObject, type JsonValue } from '../../shared/json';
import type { RecordEntry } from '../recordStore';
import type { StateRecords } from '../stateStore';
import type { RedisConnection } from './connection';
import { LUA_DIGITS, LUA_NOW_MS, LuaScript } from './luaScript';

/**
 * Writes a record stamped with the server's time, and strictly later than the copy it replaces even within one
 * millisecond, as the in-memory records do: readers may treat an unchanged `updatedAt` as an unchanged value.
 * KEYS: the records hash, all workflows. ARGV: record key, value JSON, workflow id.
 */
const SET = new LuaScript(`${LUA_NOW_MS}${LUA_DIGITS}
local updatedAt = now_ms()
local previous = redis.call('HGET', KEYS[1], ARGV[1])
if previous then
	local previousAt = tonumber(string.match(previous, ',"updatedAt":(%d+)}$') or '0')
	if previousAt >= updatedAt then updatedAt = previousAt + 1 end
end
redis.call('HSET', KEYS[1], ARGV[1], '{"value":' .. ARGV[2] .. ',"updatedAt":' .. digits(updatedAt) .. '}')
redis.call('SADD', KEYS[2], ARGV[3])
return 1
`);

function parseRecord(key: string, json: string | null | undefined): RecordEntry | undefined {
	if (typeof json !== 'string') return undefined;
	try {
		const stored: unknown = JSON.parse(json);
		if (!isPlainObject(stored) || !('value' in stored) || typeof stored.updatedAt !== 'number') return undefined;
		return { key, value: stored.value as JsonValue, updatedAt: stored.updatedAt };
	} catch {
		return undefined;
	}
}

/**
 * A workflow's records as one hash: field = record key, value = `{ value, updatedAt }` JSON. Last writer wins
 * per key in the order writes reach Redis; a deletion removes the field (no tombstone is needed: no stale copy
 * is ever merged back).
 */
export class RedisRecords implements StateRecords {
	constructor(
		private readonly connection: RedisConnection,
		private readonly workflowId: string,
	) {}

	async get(key: string): Promise<RecordEntry | undefined> {
		const json = await this.connection.run((client) => client.hget(this.hash, key));
		return parseRecord(key, json);
	}

	async set(key: string, value: JsonValue): Promise<void> {
		const json = JSON.stringify(value);
		await this.connection.run((client) => SET.run(client, [this.hash, this.connection.keys.workflows()], [key, json, this.workflowId]));
	}

	async delete(key: string): Promise<boolean> {
		return (await this.connection.run((client) => client.hdel(this.hash, key))) > 0;
	}

	/** Records whose key starts with `prefix`, sorted by key. */
	async list(prefix = ''): Promise<RecordEntry[]> {
		const all = await this.connection.run((client) => client.hgetall(this.hash));
		const entries: RecordEntry[] = [];
		for (const [key, json] of Object.entries(all)) {
			if (!key.startsWith(prefix)) continue;
			const entry = parseRecord(key, json);
			if (entry !== undefined) entries.push(entry);
		}
		return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	}

	private get hash(): string {
		return this.connection.keys.records(this.workflowId);
	}
}
