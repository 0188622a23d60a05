/** What kind of JSON value something is, for error messages: `null`, `an array`, `string`, ... */
export function describeKind(value: unknown): string {
	if (value === null) return 'null';
	return Array.isArray(value) ? 'an array' : typeof value;
}
