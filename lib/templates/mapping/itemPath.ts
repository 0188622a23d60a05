/**
 * Paths into an item's JSON (`customer.address[0].city`, `a["b c"].d`, `['x']`, `$json.total`), parsed once
 * into segments, and reads that follow own data only. Templates may be untrusted: a path must never reach an
 * object's prototype, and a read must never see inherited properties.
 */

const UNSAFE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const JSON_PREFIX = '$json';
const hasOwnProperty = Object.prototype.hasOwnProperty;

/** Whether a name could reach or replace an object's prototype; such names are refused as path segments and variables. */
export function isUnsafeName(name: string): boolean {
	return UNSAFE_NAMES.has(name);
}

export class InvalidPathError extends Error {
	override name = 'InvalidPathError';
	readonly errorClass = 'validation' as const;
	constructor(
		readonly path: string,
		reason: string,
	) {
		super(`Expected an item path such as customer.address[0].city, got ${JSON.stringify(path)}: ${reason}`);
	}
}

export class UnsafePathError extends Error {
	override name = 'UnsafePathError';
	readonly errorClass = 'validation' as const;
	constructor(
		readonly path: string,
		readonly segment: string,
	) {
		super(
			`Expected path segments other than __proto__, constructor and prototype, got ${JSON.stringify(segment)} in ${JSON.stringify(path)}`,
		);
	}
}

/**
 * Splits a path into its segments. Syntax:
 * - names after dots: any characters but `.`, `[` and `]` (`first name.zip-code` is two segments);
 * - brackets: an array index without leading zeros (`[0]`, `[12]`) or a quoted name (`["b c"]`, `['x.y']`)
 *   in which a backslash escapes the next character;
 * - an optional leading `$json.` or `$json[` (n8n expression style) is stripped; `$json` alone is refused,
 *   since it would expose the whole item.
 * The whole path is trimmed; names inside it are kept exactly. Index segments come back as decimal strings.
 * @throws {InvalidPathError} for an empty path or bad syntax.
 * @throws {UnsafePathError} for a `__proto__`, `constructor` or `prototype` segment, in any notation.
 */
export function parseItemPath(path: string): string[] {
	if (typeof path !== 'string') throw new InvalidPathError(String(path), 'it is not a string');
	const leading = path.length - path.trimStart().length;
	let text = path.trim();
	let offset = leading;
	if (text === JSON_PREFIX) throw new InvalidPathError(path, 'name a field below $json');
	if (text.startsWith(JSON_PREFIX) && (text[JSON_PREFIX.length] === '.' || text[JSON_PREFIX.length] === '[')) {
		const skip = text[JSON_PREFIX.length] === '.' ? JSON_PREFIX.length + 1 : JSON_PREFIX.length;
		text = text.slice(skip);
		offset += skip;
	}
	if (text === '') throw new InvalidPathError(path, 'it is empty');

	const segments: string[] = [];
	let position = 0;
	while (position < text.length) {
		const char = text[position];
		let segment: string;
		if (char === '[') {
			const bracket = readBracket(text, position, path, offset);
			segment = bracket.segment;
			position = bracket.end;
		} else {
			if (segments.length > 0) {
				if (char !== '.') {
					throw new InvalidPathError(path, `expected "." or "[" at position ${offset + position}, found ${JSON.stringify(char)}`);
				}
				position++;
			}
			const end = endOfName(text, position);
			if (end === position) {
				const found = position < text.length ? `found ${JSON.stringify(text[position])}` : 'the path ends';
				throw new InvalidPathError(path, `expected a name at position ${offset + position}, ${found}`);
			}
			segment = text.slice(position, end);
			position = end;
		}
		if (isUnsafeName(segment)) throw new UnsafePathError(path, segment);
		segments.push(segment);
	}
	return segments;
}

function endOfName(text: string, start: number): number {
	let end = start;
	while (end < text.length && text[end] !== '.' && text[end] !== '[' && text[end] !== ']') end++;
	return end;
}

/** Reads `[…]` starting at `open`; returns the segment and the position after `]`. */
function readBracket(text: string, open: number, path: string, offset: number): { segment: string; end: number } {
	const first = text[open + 1];
	if (first === '"' || first === "'") {
		let segment = '';
		let position = open + 2;
		while (position < text.length && text[position] !== first) {
			// A backslash takes the next character literally: `["say \"hi\""]`, `['it\'s']`.
			if (text[position] === '\\' && position + 1 < text.length) position++;
			segment += text[position];
			position++;
		}
		if (position >= text.length) {
			throw new InvalidPathError(path, `the quote opened at position ${offset + open + 1} is not closed`);
		}
		if (text[position + 1] !== ']') {
			throw new InvalidPathError(path, `expected "]" after the quoted name at position ${offset + position + 1}`);
		}
		return { segment, end: position + 2 };
	}
	let position = open + 1;
	while (position < text.length && text[position] >= '0' && text[position] <= '9') position++;
	const digits = text.slice(open + 1, position);
	if (digits === '' || text[position] !== ']') {
		throw new InvalidPathError(path, `expected an index or a quoted name in "[…]" at position ${offset + open}`);
	}
	if (digits.length > 1 && digits[0] === '0') {
		throw new InvalidPathError(path, `expected an index without leading zeros at position ${offset + open + 1}`);
	}
	return { segment: digits, end: position + 1 };
}

/** Whether a segment is an array index: decimal digits, no leading zero (as `parseItemPath` writes them). */
function isIndexSegment(segment: string): boolean {
	const length = segment.length;
	if (length === 0 || (length > 1 && segment.charCodeAt(0) === 48)) return false;
	for (let index = 0; index < length; index++) {
		const code = segment.charCodeAt(index);
		if (code < 48 || code > 57) return false;
	}
	return true;
}

/**
 * Follows segments through own properties of objects and indices of arrays; `undefined` as soon as one is
 * missing. Inherited properties, array members other than indices (`length`) and properties of primitives
 * (`"abc".length`) are never read. Called per item: no allocation, no parsing.
 */
export function readPath(value: unknown, segments: readonly string[]): unknown {
	let current = value;
	for (let index = 0; index < segments.length; index++) {
		if (typeof current !== 'object' || current === null) return undefined;
		const segment = segments[index];
		if (Array.isArray(current) && !isIndexSegment(segment)) return undefined;
		if (!hasOwnProperty.call(current, segment)) return undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return current;
}
