const PREVIEW_CHARS = 40;

/** A short account of a value for an error message: text is quoted and cut, structures are only named. */
export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'nothing';
	if (typeof value === 'string') {
		const preview = value.length > PREVIEW_CHARS ? `${value.slice(0, PREVIEW_CHARS)}...` : value;
		return JSON.stringify(preview);
	}
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	if (Array.isArray(value)) return 'a list';
	if (value instanceof Date) return 'a Date';
	if (typeof value === 'function') return 'a function';
	return 'an object';
}

export function isMissing(value: unknown): value is null | undefined {
	return value === undefined || value === null;
}
