import { COUNTER_FIELDS, CounterSet } from '../../metrics';

/** Hash fields of a latency bin and of an error class; counter fields keep their own names (`calls`, `costUsd`). */
const LATENCY_FIELD = 'l:';
const ERROR_CLASS_FIELD = 'x:';

/**
 * An amount as the flush script expects it: plain digits for whole numbers (HINCRBY), anything else in
 * JavaScript's shortest round-trip form (HINCRBYFLOAT parses it, exponent included).
 */
function amount(value: number): string {
	return String(value);
}

/** The non-zero parts of a counter set as flat `[field, amount, field, amount, ...]` for the flush script. */
export function counterIncrements(set: CounterSet): string[] {
	const flat: string[] = [];
	for (const field of COUNTER_FIELDS) {
		const value = set[field];
		if (value !== 0) flat.push(field, amount(value));
	}
	for (const [errorClass, count] of Object.entries(set.errorsByClass)) flat.push(ERROR_CLASS_FIELD + errorClass, amount(count));
	for (const [bin, count] of set.latency) flat.push(LATENCY_FIELD + bin, amount(count));
	return flat;
}

/** Adds a hash read back from Redis (HGETALL) into `target`; fields it does not know are ignored. */
export function addCounterHash(target: CounterSet, hash: Record<string, string>): void {
	const parsed = new CounterSet();
	for (const [field, text] of Object.entries(hash)) {
		const value = Number(text);
		if (!Number.isFinite(value)) continue;
		if (field.startsWith(LATENCY_FIELD)) {
			const bin = Number(field.slice(LATENCY_FIELD.length));
			if (Number.isInteger(bin)) parsed.latency.set(bin, value);
		} else if (field.startsWith(ERROR_CLASS_FIELD)) {
			parsed.errorsByClass[field.slice(ERROR_CLASS_FIELD.length)] = value;
		} else if ((COUNTER_FIELDS as readonly string[]).includes(field)) {
			parsed[field as (typeof COUNTER_FIELDS)[number]] = value;
		}
	}
	target.add(parsed);
}
