export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Bytes a value takes as UTF-8 JSON: what it costs in static data, Redis or an execution record. */
export function jsonByteLength(value: unknown): number {
	return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/**
 * Bytes a value's JSON takes once stored inside a JSON string (as a snapshot's body): each quote and backslash
 * gains an escaping backslash. JSON text holds no other character a string escapes.
 */
export function embeddedJsonByteLength(value: unknown): number {
	const json = JSON.stringify(value) ?? '';
	let escapes = 0;
	for (let index = 0; index < json.length; index++) {
		const code = json.charCodeAt(index);
		if (code === 34 || code === 92) escapes++;
	}
	return Buffer.byteLength(json, 'utf8') + escapes;
}
