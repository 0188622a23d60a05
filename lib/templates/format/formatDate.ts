import { rememberBounded } from './boundedMemo';
import { DEFAULT_LOCALE, readLocale } from './readLocale';
import { parseDateValue, readZone } from './parseDateValue';

export const DEFAULT_DATE_PATTERN = 'yyyy-MM-dd';
/** Formats come from mapping rules and templates, so there are few; the bound only guards against a runaway caller. */
const MAX_CACHED_FORMATTERS = 100;
/**
 * Formatted dates kept per formatter. Luxon takes 5 to 25 µs per date (named zones are the slow part), and items
 * often repeat a date (an invoice date, a due date): a repeat then costs one Map lookup.
 */
const MAX_CACHED_RESULTS = 1000;

export interface DateStyle {
	/** Luxon `toFormat` tokens, default `yyyy-MM-dd`; literal text goes in single quotes (`dd.MM.yyyy 'um' HH:mm`). */
	pattern?: string;
	/** IANA zone, `UTC` or `UTC+2`; see parseDateValue for what it changes. */
	zone?: string;
	/** For month and weekday names, default en-US. */
	locale?: string;
}

/** Formats dates in one style, remembering what it formatted. Get one from {@link dateFormatter}. */
export class DateFormatter {
	/** Output by input: text as given, or epoch ms (for numbers and Dates alike: same instant, same output). */
	private readonly results = new Map<string | number, string>();

	constructor(
		readonly pattern: string,
		readonly zone: string | undefined,
		readonly locale: string,
	) {}

	/** @throws {FormatError} naming the value when it is not a valid date (see parseDateValue). */
	format(value: unknown): string {
		const key = resultKey(value);
		if (key === undefined) return this.formatOnce(value);
		return rememberBounded(this.results, MAX_CACHED_RESULTS, key, () => this.formatOnce(value));
	}

	private formatOnce(value: unknown): string {
		return parseDateValue(value, this).toFormat(this.pattern);
	}
}

/** Numbers and Dates share keys: the same instant gives the same text. Other values are not remembered. */
function resultKey(value: unknown): string | number | undefined {
	if (typeof value === 'string' || typeof value === 'number') return value;
	return value instanceof Date ? value.getTime() : undefined;
}

const formatters = new Map<string, DateFormatter>();

/**
 * The formatter for a style, built once per style: checking a zone and a locale costs far more than a lookup.
 * @throws {FormatError} for an unknown zone or a malformed locale.
 */
export function dateFormatter(style: DateStyle): DateFormatter {
	const { pattern = DEFAULT_DATE_PATTERN, zone, locale = DEFAULT_LOCALE } = style;
	const key = `${pattern}\u0000${zone ?? ''}\u0000${locale}`;
	return rememberBounded(formatters, MAX_CACHED_FORMATTERS, key, () => {
		return new DateFormatter(pattern, zone === undefined ? undefined : readZone(zone), readLocale(locale));
	});
}

/** @throws {FormatError} for a bad style, or naming the value when it is not a valid date. */
export function formatDate(value: unknown, style: DateStyle = {}): string {
	return dateFormatter(style).format(value);
}
