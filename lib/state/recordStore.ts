import type { Clock } from '../shared/clock';
import { isPlainObject, embeddedJsonByteLength, type JsonValue } from '../shared/json';

/** How long a deletion is remembered, so a stale snapshot cannot bring the record back. */
const TOMBSTONE_TTL_MS = 30 * 24 * 3_600_000;

interface StoredRecord {
	/** `null` marks a deletion (tombstone). */
	value: JsonValue | null;
	updatedAt: number;
}

export interface RecordEntry {
	key: string;
	value: JsonValue;
	updatedAt: number;
}

/**
 * Small named values a node keeps in workflow state (settings, alert state, a template library): last writer
 * wins per key by update time, deletions included, so concurrent executions and restarts converge.
 */
export class RecordStore {
	private readonly records = new Map<string, StoredRecord>();
	revision = 0;

	constructor(private readonly clock: Clock) {}

	get(key: string): RecordEntry | undefined {
		const record = this.records.get(key);
		return record && record.value !== null ? { key, value: record.value, updatedAt: record.updatedAt } : undefined;
	}

	set(key: string, value: JsonValue): void {
		this.write(key, value);
	}

	delete(key: string): boolean {
		const existed = this.get(key) !== undefined;
		if (existed) this.write(key, null);
		return existed;
	}

	/** Live records whose key starts with `prefix`, sorted by key. */
	list(prefix = ''): RecordEntry[] {
		const entries: RecordEntry[] = [];
		for (const [key, record] of this.records) {
			if (record.value !== null && key.startsWith(prefix)) entries.push({ key, value: record.value, updatedAt: record.updatedAt });
		}
		return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	}

	toJSON(): Record<string, [JsonValue | null, number]> {
		const json: Record<string, [JsonValue | null, number]> = {};
		const oldestTombstone = this.clock.now() - TOMBSTONE_TTL_MS;
		for (const [key, record] of this.records) {
			if (record.value === null && record.updatedAt < oldestTombstone) continue;
			json[key] = [record.value, record.updatedAt];
		}
		return json;
	}

	/** Bytes the persisted form ({@link toJSON}) takes in a snapshot now, and would take with `key` set to `value`. */
	persistedBytes(change?: { key: string; value: JsonValue }): number {
		const json = this.toJSON();
		if (change !== undefined) json[change.key] = [change.value, this.clock.now()];
		return embeddedJsonByteLength(json);
	}

	/** Merges a persisted copy: per key the later update wins. Throws `TypeError` on malformed input before changing anything. */
	merge(json: unknown): void {
		if (json === undefined) return;
		if (!isPlainObject(json)) throw new TypeError('records are not an object');
		const incoming: Array<[string, StoredRecord]> = [];
		for (const [key, entry] of Object.entries(json)) {
			if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[1] !== 'number') {
				throw new TypeError(`record "${key}" is malformed`);
			}
			incoming.push([key, { value: entry[0] as JsonValue | null, updatedAt: entry[1] }]);
		}
		for (const [key, record] of incoming) {
			const current = this.records.get(key);
			if (current === undefined || record.updatedAt > current.updatedAt) {
				this.records.set(key, record);
				this.revision++;
			}
		}
	}

	private write(key: string, value: JsonValue | null): void {
		const previous = this.records.get(key);
		// Strictly later than what is stored, even within one millisecond, so a write always wins a merge.
		const updatedAt = Math.max(this.clock.now(), previous ? previous.updatedAt + 1 : 0);
		this.records.set(key, { value, updatedAt });
		this.revision++;
	}
}
