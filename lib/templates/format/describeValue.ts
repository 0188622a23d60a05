const MAX_PREVIEW = 60;

/**
 * A short preview of a value for an error message: enough to find the bad field, short because item values may
 * be long or personal and messages end up in execution logs. Text is quoted and cut; structures are only named,
 * since their contents are the likeliest to be personal.
 */
export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'undefined';
	if (typeof value === 'string') {
		return JSON.stringify(value.length > MAX_PREVIEW ? `${value.slice(0, MAX_PREVIEW)}…` : value);
	}
	if (typeof value === 'number' || typeof value === 'boolean') return String(value); // JSON would write NaN as null
	if (typeof value === 'bigint') return `${value}n`;
	if (typeof value === 'symbol') return 'a symbol';
	if (typeof value === 'function') return 'a function';
	if (Array.isArray(value)) return 'an array';
	// A Date is one value, not a structure: the instant is what tells a bad date from a good one.
	if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
	return nameObject(value);
}

/** Plain objects are `an object`; class instances say which class, the likeliest reason they were refused. */
function nameObject(value: object): string {
	try {
		const prototype: unknown = Object.getPrototypeOf(value);
		if (prototype === null || prototype === Object.prototype) return 'an object';
		const name: unknown = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
		return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object';
	} catch {
		return 'an object'; // a Proxy may throw from its traps
	}
}
