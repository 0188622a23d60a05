const MAX_PREVIEW = 60;

/**
 * A short preview of a value for an error message: enough to find the bad field, short because item values
 * may be long or personal and messages end up in execution logs.
 */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'undefined';
	if (typeof value === 'number') return String(value); // JSON would write NaN and Infinity as null
	if (typeof value === 'bigint') return `${value}n`;
	if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
	let text: string;
	try {
		text = JSON.stringify(value) ?? String(value);
	} catch {
		text = Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value;
	}
	return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW)}…` : text;
}
