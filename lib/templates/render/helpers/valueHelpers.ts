import { describeValue } from '../../format';
import { isMissing } from './isMissing';

function readText(value: unknown): string {
	if (isMissing(value)) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	throw new TypeError(`Expected text, a number or a boolean, got ${describeValue(value)}`);
}

/** `{{upper value}}` */
export function upper([value]: unknown[]): string {
	return readText(value).toUpperCase();
}

/** `{{lower value}}` */
export function lower([value]: unknown[]): string {
	return readText(value).toLowerCase();
}

/**
 * `{{json value}}`: JSON text. It is a plain string, not a SafeString, so HTML templates escape it like any other
 * value; `{{{json value}}}` is the explicit way to emit it raw.
 */
export function json([value]: unknown[]): string {
	if (value === undefined) return '';
	return JSON.stringify(value) ?? '';
}

/** `{{default value fallback}}`: the fallback when the value is missing, null or empty text; 0 and false are values. */
export function defaultValue([value, fallback]: unknown[]): unknown {
	return isMissing(value) || value === '' ? fallback : value;
}

/** `{{eq a b}}`, mostly as `{{#if (eq status "paid")}}`: strict equality, so `1` and `"1"` differ. */
export function equals([left, right]: unknown[]): boolean {
	return left === right;
}
