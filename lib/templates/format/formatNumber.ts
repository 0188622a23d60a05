import { rememberBounded } from './boundedMemo';
import { describeValue } from './describeValue';
import { FormatError } from './formatError';
import { DEFAULT_LOCALE, readLocale } from './readLocale';

export const MAX_DECIMALS = 20;
/** Formats come from mapping rules and templates, so there are few; the bound only guards against a runaway caller. */
const MAX_CACHED_FORMATTERS = 100;
/** Decimal notation only: `Number()` alone would also take `0x10`, `0b11`, `Infinity` and `""`. */
const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

export interface NumberStyle {
	/** Default en-US. Grouping separators are always on. */
	locale?: string;
	/** Fixed fraction digits, 0 to 20, which both pad and round (2: 1.5 -> "1.50"); absent: Intl's up to 3. */
	decimals?: number;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** @throws {FormatError} unless the value is a whole number from 0 to {@link MAX_DECIMALS}. */
export function readDecimals(value: unknown): number {
	if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_DECIMALS) return value;
	throw new FormatError(`decimals to be a whole number from 0 to ${MAX_DECIMALS}`, describeValue(value));
}

/**
 * The Intl formatter for a style, built once per style: building one costs far more than using it.
 * @throws {FormatError} for decimals out of range or a malformed locale.
 */
export function numberFormatter({ locale = DEFAULT_LOCALE, decimals }: NumberStyle): Intl.NumberFormat {
	return rememberBounded(formatters, MAX_CACHED_FORMATTERS, `${locale}\u0000${decimals ?? ''}`, () => {
		const fixed = decimals === undefined ? undefined : readDecimals(decimals);
		return new Intl.NumberFormat(
			readLocale(locale),
			fixed === undefined ? undefined : { minimumFractionDigits: fixed, maximumFractionDigits: fixed },
		);
	});
}

/**
 * Reads a finite number, or text holding one in plain decimal notation (`"1234.5"`, `" -3 "`, `"1e3"`). Text with
 * grouping (`"1,234"`), hex or words is refused rather than guessed at: `1,234` means 1.234 in much of Europe.
 * @throws {FormatError} naming the value when it is not numeric.
 */
export function parseNumberValue(value: unknown): number {
	let number = Number.NaN;
	if (typeof value === 'number') number = value;
	else if (typeof value === 'string' && NUMERIC_TEXT.test(value.trim())) number = Number(value.trim());
	if (!Number.isFinite(number)) throw new FormatError('a finite number or numeric text', describeValue(value));
	return number;
}

/** @throws {FormatError} for a bad style, or naming the value when it is not numeric. */
export function formatNumber(value: unknown, style: NumberStyle = {}): string {
	return numberFormatter(style).format(parseNumberValue(value));
}
