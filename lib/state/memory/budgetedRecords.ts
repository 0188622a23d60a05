import type { JsonValue } from '../../shared/json';
import type { RecordEntry, RecordStore } from '../recordStore';
import type { StateRecords } from '../stateStore';

/**
 * A workflow's records in this process's memory, persisted with its static-data snapshot: a write that would
 * take them past their share of the snapshot is refused with {@link RecordsBudgetError}.
 */
export class BudgetedRecords implements StateRecords {
	constructor(
		private readonly records: RecordStore,
		private readonly limitBytes: number,
	) {}

	async get(key: string): Promise<RecordEntry | undefined> {
		return this.records.get(key);
	}

	async set(key: string, value: JsonValue): Promise<void> {
		const after = this.records.persistedBytes({ key, value });
		if (after > this.limitBytes) throw new RecordsBudgetError(key, after, this.records.persistedBytes(), this.limitBytes);
		this.records.set(key, value);
	}

	async delete(key: string): Promise<boolean> {
		return this.records.delete(key);
	}

	async list(prefix?: string): Promise<RecordEntry[]> {
		return this.records.list(prefix);
	}
}

/** A record write refused because the workflow's records would no longer fit their budget in static data. */
export class RecordsBudgetError extends Error {
	override name = 'RecordsBudgetError';
	readonly errorClass = 'validation' as const;
	readonly description =
		"Records (template library, settings, alert state) share half of the workflow's static-data snapshot; " +
		'delete records you no longer need, or use the Redis state backend for more.';
	constructor(
		readonly key: string,
		readonly bytesAfter: number,
		readonly usedBytes: number,
		readonly limitBytes: number,
	) {
		super(
			`Saving "${key}" would make this workflow's records ${bytesAfter} bytes; they use ${usedBytes} of their ` +
				`${limitBytes}-byte budget in static data`,
		);
	}
}
