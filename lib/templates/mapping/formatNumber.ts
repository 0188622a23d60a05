import { describeValue } from './describeValue';
import { TransformError } from './transformError';

/** Output locale when a format names none: fixed, so that output does not depend on the server's locale. */
export const DEFAULT_NUMBER_LOCALE = 'en-US';
const MAX_DECIMALS = 20;
/** Formats come from mapping rules, so there are few; the bound only guards against a runaway caller. */
const MAX_CACHED_FORMATTERS = 100;
const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * The formatter for a `number` format: `""` or absent (en-US, Intl's default of up to 3 decimals), `"2"`
 * (decimals), `"de-DE"` (locale) or `"de-DE:2"` (locale and decimals). Fixed decimals both pad and round
 * (`"2"`: 1.5 -> "1.50"). Grouping separators are on. Formatters are built once per format: building one
 * costs far more than using it.
 * @throws {TransformError} for a format it does not understand.
 */
export function numberFormatter(format: string | undefined): Intl.NumberFormat {
	const key = format ?? '';
	const cached = formatters.get(key);
	if (cached !== undefined) return cached;
	const formatter = createFormatter(key);
	if (formatters.size >= MAX_CACHED_FORMATTERS) formatters.clear();
	formatters.set(key, formatter);
	return formatter;
}

function createFormatter(format: string): Intl.NumberFormat {
	const separator = format.indexOf(':');
	let locale = DEFAULT_NUMBER_LOCALE;
	let decimalsText = '';
	if (separator >= 0) {
		locale = format.slice(0, separator);
		decimalsText = format.slice(separator + 1);
		if (locale === '' || decimalsText === '') throw formatError(format);
	} else if (/^\d+$/.test(format)) {
		decimalsText = format;
	} else if (format !== '') {
		locale = format;
	}
	const decimals = decimalsText === '' ? undefined : Number(decimalsText);
	if (decimals !== undefined && (!/^\d+$/.test(decimalsText) || decimals > MAX_DECIMALS)) throw formatError(format);
	try {
		Intl.getCanonicalLocales(locale);
	} catch {
		throw formatError(format);
	}
	return new Intl.NumberFormat(
		locale,
		decimals === undefined ? undefined : { minimumFractionDigits: decimals, maximumFractionDigits: decimals },
	);
}

function formatError(format: string): TransformError {
	return new TransformError(
		`Expected a number format such as "2", "de-DE" or "de-DE:2" (locale:decimals, 0 to ${MAX_DECIMALS} decimals), got ${JSON.stringify(format)}`,
	);
}

/**
 * Formats a finite number, or a string holding one in plain decimal notation (`"1234.5"`, `" -3 "`, `"1e3"`).
 * Strings with grouping (`"1,234"`), hex or words are refused rather than guessed at.
 * @throws {TransformError} naming the value when it is not numeric.
 */
export function formatNumber(value: unknown, format: string | undefined): string {
	const formatter = numberFormatter(format);
	let number: number | undefined;
	if (typeof value === 'number') number = value;
	else if (typeof value === 'string' && NUMERIC_TEXT.test(value.trim())) number = Number(value.trim());
	if (number === undefined || !Number.isFinite(number)) {
		throw new TransformError(`Expected a finite number or numeric text for transform "number", got ${describeValue(value)}`);
	}
	return formatter.format(number);
}
