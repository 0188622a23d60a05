import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth, so that two requests that mean the same thing serialise the same
 * way whatever order their fields were built in. `undefined` members are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
	if (value === null || typeof value !== 'object') return value;
	const sorted: Record<string, unknown> = {};
	for (const key of Object.keys(value).sort()) {
		const member = (value as Record<string, unknown>)[key];
		if (member !== undefined) sorted[key] = sortKeys(member);
	}
	return sorted;
}

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}
