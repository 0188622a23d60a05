import { TemplateTooLargeError } from './templateErrors';

/**
 * Whether text takes more than `limit` UTF-8 bytes, without encoding it when its length settles the question: a
 * UTF-16 code unit takes 1 to 3 bytes (a surrogate pair, two units, takes 4).
 */
export function exceedsBytes(text: string, limit: number): boolean {
	if (text.length > limit) return true;
	if (text.length * 3 <= limit) return false;
	return Buffer.byteLength(text, 'utf8') > limit;
}

export function assertTemplateFits(source: string, maxTemplateBytes: number): void {
	if (exceedsBytes(source, maxTemplateBytes)) {
		throw new TemplateTooLargeError(Buffer.byteLength(source, 'utf8'), maxTemplateBytes);
	}
}

export function assertByteLimit(name: string, value: unknown): asserts value is number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
		throw new TypeError(`Expected \`${name}\` to be an integer from 1 and up, got ${String(value)}`);
	}
}

/**
 * V8 refuses to build a string beyond its maximum length (about 512 MiB) with `RangeError: Invalid string length`.
 * During a render that can only mean the output grew too large, so it is reported as our output-size error.
 */
export function isStringLengthError(error: unknown): boolean {
	return error instanceof RangeError && error.message === 'Invalid string length';
}
