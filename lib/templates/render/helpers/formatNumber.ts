import { LRUCache } from 'lru-cache';
import { describeValue, isMissing } from './describeValue';

export const DEFAULT_NUMBER_LOCALE = 'en-US';
const MAX_DECIMALS = 20;
/** Decimal notation only: `Number()` alone would also take `0x10`, `0b11` and `Infinity`. */
const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * Building an Intl.NumberFormat costs far more than using one, and a template formats many numbers per render.
 * Locales come from templates, which may be untrusted, so the cache is bounded.
 */
const formatters = new LRUCache<string, Intl.NumberFormat>({ max: 64 });

/**
 * `{{formatNumber value decimals? locale?}}`: a number or numeric text, grouped for the locale (default
 * `en-US`); with `decimals`, exactly that many fraction digits. A missing value renders as empty text.
 */
export function formatNumber([value, decimals, locale]: unknown[]): string {
	if (isMissing(value)) return '';
	const number = readNumber(value);
	const fractionDigits = isMissing(decimals) ? undefined : readDecimals(decimals);
	const localeTag = isMissing(locale) ? DEFAULT_NUMBER_LOCALE : locale;
	if (typeof localeTag !== 'string') {
		throw new TypeError(`Expected the locale to be text such as "en-US" or "de-DE", got ${describeValue(locale)}`);
	}
	return formatterFor(localeTag, fractionDigits).format(number);
}

function readNumber(value: unknown): number {
	let number = Number.NaN;
	if (typeof value === 'number') number = value;
	else if (typeof value === 'string' && NUMERIC_TEXT.test(value.trim())) number = Number(value.trim());
	if (!Number.isFinite(number)) throw new TypeError(`Expected a number or numeric text, got ${describeValue(value)}`);
	return number;
}

function readDecimals(decimals: unknown): number {
	if (typeof decimals !== 'number' || !Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS) {
		throw new TypeError(
			`Expected decimals to be a whole number from 0 to ${MAX_DECIMALS}, got ${describeValue(decimals)}`,
		);
	}
	return decimals;
}

function formatterFor(locale: string, fractionDigits: number | undefined): Intl.NumberFormat {
	const key = `${locale}\u0000${fractionDigits ?? ''}`;
	const cached = formatters.get(key);
	if (cached !== undefined) return cached;
	let formatter: Intl.NumberFormat;
	try {
		const fixed = { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits };
		formatter = new Intl.NumberFormat(locale, fractionDigits === undefined ? {} : fixed);
	} catch {
		throw new TypeError(`Expected a locale such as "en-US" or "de-DE", got ${describeValue(locale)}`);
	}
	formatters.set(key, formatter);
	return formatter;
}
