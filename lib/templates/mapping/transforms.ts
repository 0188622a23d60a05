import { describeValue } from '../format';
import { formatDate, parseDateFormat } from './formatDate';
import { formatNumber, numberFormatter } from './formatNumber';
import { TransformError } from './transformError';

export type Transform = 'none' | 'trim' | 'upper' | 'lower' | 'titleCase' | 'number' | 'date' | 'json';

export const TRANSFORMS: readonly Transform[] = ['none', 'trim', 'upper', 'lower', 'titleCase', 'number', 'date', 'json'];

const FORMATTED: ReadonlySet<Transform> = new Set(['number', 'date', 'json']);
const MAX_JSON_INDENT = 10;
/** A letter that starts a word: at the start, or after white space or a hyphen (`jean-luc` -> `Jean-Luc`). */
const WORD_START = /(^|[\s-])(\p{L})/gu;

export function isTransform(value: unknown): value is Transform {
	return typeof value === 'string' && (TRANSFORMS as readonly string[]).includes(value);
}

/** Whether a transform takes a format (`number`, `date`, `json`); the others refuse one. */
export function takesFormat(transform: Transform): boolean {
	return FORMATTED.has(transform);
}

/**
 * Checks a format once, when a mapping plan is built, so that a bad format fails before the first item
 * rather than on every item. An empty format counts as none.
 * @throws {TransformError} saying what is wrong.
 */
export function checkTransformFormat(transform: Transform, format: string | undefined): void {
	if (format === undefined || format === '') return;
	if (typeof format !== 'string') {
		throw new TransformError(`Expected the format of transform "${transform}" to be text, got ${describeValue(format)}`);
	}
	if (transform === 'number') numberFormatter(format);
	else if (transform === 'date') parseDateFormat(format);
	else if (transform === 'json') jsonIndent(format);
	else {
		throw new TransformError(
			`Expected no format for transform "${transform}" (only number, date and json take one), got ${JSON.stringify(format)}`,
		);
	}
}

/**
 * Applies a transform to a mapped value. `null` and `undefined` pass through every transform unchanged: a
 * transform never invents a value, so missing fields stay missing and `{{#if}}` still sees null.
 * - `trim`, `upper`, `lower`, `titleCase` work on text; other values are first converted with `String()`
 *   (`42` -> `"42"`, an object -> `"[object Object]"`: map a field below it instead).
 *   `titleCase` lower-cases the text, then capitalises the first letter of each word (`JOHN o'neil-SMITH` ->
 *   `John O'neil-Smith`). Case changes are locale-independent.
 * - `number`: see `formatNumber` (format `"2"`, `"de-DE"`, `"de-DE:2"`).
 * - `date`: see `parseDateFormat` (format `"dd.MM.yyyy|Europe/Berlin|de-DE"`, all parts optional).
 * - `json`: `JSON.stringify`, with the format as an optional indent of 0 to 10 spaces (`"2"`).
 * @throws {TransformError} naming the value when it cannot be transformed, or for a bad format.
 */
export function applyTransform(value: unknown, transform: Transform, format?: string): unknown {
	if (value === undefined || value === null) return value;
	switch (transform) {
		case 'none':
			return value;
		case 'trim':
			return toText(value, transform).trim();
		case 'upper':
			return toText(value, transform).toUpperCase();
		case 'lower':
			return toText(value, transform).toLowerCase();
		case 'titleCase':
			return toTitleCase(toText(value, transform));
		case 'number':
			return formatNumber(value, format);
		case 'date':
			return formatDate(value, format);
		case 'json':
			return toJson(value, format);
		default:
			throw new TransformError(`Expected a transform out of ${TRANSFORMS.join(', ')}, got ${describeValue(transform)}`);
	}
}

function toText(value: unknown, transform: Transform): string {
	if (typeof value === 'string') return value;
	try {
		return String(value);
	} catch {
		// Objects without a prototype (and so without toString) cannot be converted.
		throw new TransformError(
			`Expected text or a value convertible with String() for transform "${transform}", got ${describeValue(value)}`,
		);
	}
}

function toTitleCase(text: string): string {
	return text.toLowerCase().replace(WORD_START, (_match, before: string, letter: string) => before + letter.toUpperCase());
}

function jsonIndent(format: string | undefined): number | undefined {
	if (format === undefined || format === '') return undefined;
	const indent = Number(format);
	if (!/^\d+$/.test(format) || indent > MAX_JSON_INDENT) {
		throw new TransformError(
			`Expected the json format to be an indent of 0 to ${MAX_JSON_INDENT} spaces, such as "2", got ${JSON.stringify(format)}`,
		);
	}
	return indent;
}

function toJson(value: unknown, format: string | undefined): string {
	const indent = jsonIndent(format);
	let text: string | undefined;
	try {
		text = JSON.stringify(value, null, indent);
	} catch {
		text = undefined; // circular structures, BigInt
	}
	if (text === undefined) {
		throw new TransformError(`Expected a value that JSON can represent for transform "json", got ${describeValue(value)}`);
	}
	return text;
}
