import { createHash } from 'node:crypto';
import type { WorkSlicer } from './yieldToEventLoop';

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

/** Characters hashed between two checks of the time slice (about 2 ms of SHA-256). */
const HASH_SLICE_CHARS = 1 << 20;

/**
 * The same digest as {@link sha256Hex}, fed in slices with a turn for the event loop when the slice's time is up:
 * hashing a 15 MB prompt takes ~30 ms in one go. Slices never split a surrogate pair, so the UTF-8 bytes hashed
 * are exactly those of the whole text.
 */
export async function sha256HexSliced(text: string, slicer: WorkSlicer): Promise<string> {
	const hash = createHash('sha256');
	let start = 0;
	while (start < text.length) {
		let end = Math.min(text.length, start + HASH_SLICE_CHARS);
		if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end++;
		hash.update(text.slice(start, end));
		start = end;
		await slicer.maybeYield();
	}
	return hash.digest('hex');
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}
