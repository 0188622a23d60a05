/** How a value that is not text is named in an error ("an object", "an array"). */
export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A parameter read as text. Text stays as it is, numbers and booleans become their text (an expression such as
 * `{{ $json.body.prompt }}` gives a number when the caller sent one); missing is ''. Anything else (an object,
 * an array) is refused by `fail` with its type, so "[object Object]" is never sent or stored.
 */
export function readText(value: unknown, fail: (problem: string) => Error): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
	throw fail(`must be text, got ${typeof value === 'number' ? String(value) : describeType(value)}`);
}
