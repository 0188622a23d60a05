import { DateTime } from 'luxon';
import { describeValue } from './describeValue';
import { TransformError } from './transformError';

export const DEFAULT_DATE_PATTERN = 'yyyy-MM-dd';
/** Output locale (month and weekday names) when a format names none: fixed, as the server's may be anything. */
export const DEFAULT_DATE_LOCALE = 'en-US';
const MAX_CACHED_FORMATS = 100;
/**
 * Formatted dates kept per format. Luxon takes 5 to 25 µs per date (named zones are the slow part), and items
 * often repeat a date (an invoice date, a due date): a repeat then costs one Map lookup.
 */
const MAX_CACHED_RESULTS = 1000;

interface DateFormat {
	pattern: string;
	/** Absent: keep the offset an ISO string carries, read everything else as UTC. */
	zone?: string;
	locale: string;
	/** Output by input: ISO text as given, or epoch ms (for numbers and Dates alike: same instant, same output). */
	results: Map<string | number, string>;
}

const formats = new Map<string, DateFormat>();

/**
 * Reads a `date` format: `pattern|zone|locale`, each part optional and trimmed.
 * - pattern: luxon `toFormat` tokens, default `yyyy-MM-dd`; literal text goes in single quotes
 *   (`dd.MM.yyyy 'um' HH:mm`). A pattern cannot contain `|`.
 * - zone: an IANA zone (`Europe/Berlin`), `UTC` or a fixed offset (`UTC+2`). Instants (epoch ms, Dates, ISO
 *   strings with an offset) are shown in it; ISO strings without an offset are read as wall time in it.
 *   Without a zone, ISO strings keep their own offset and everything else is UTC, so `"2024-03-01"` stays
 *   1 March on any server.
 * - locale: for month and weekday names, default en-US (`d. MMMM yyyy|Europe/Berlin|de-DE`, `MMMM||fr`).
 * @throws {TransformError} for an unknown zone or locale, or more than three parts.
 */
export function parseDateFormat(format: string | undefined): DateFormat {
	const key = format ?? '';
	const cached = formats.get(key);
	if (cached !== undefined) return cached;
	const parsed = readDateFormat(key);
	if (formats.size >= MAX_CACHED_FORMATS) formats.clear();
	formats.set(key, parsed);
	return parsed;
}

function readDateFormat(format: string): DateFormat {
	const parts = format.split('|');
	if (parts.length > 3) {
		throw new TransformError(`Expected a date format "pattern|zone|locale" with at most three parts, got ${JSON.stringify(format)}`);
	}
	const [pattern, zone, locale] = parts.map((part) => part.trim());
	const parsed: DateFormat = { pattern: pattern || DEFAULT_DATE_PATTERN, locale: locale || DEFAULT_DATE_LOCALE, results: new Map() };
	if (zone) {
		if (!isValidZone(zone)) {
			throw new TransformError(
				`Expected an IANA time zone such as "Europe/Berlin" or "UTC+2" in date format ${JSON.stringify(format)}, got ${JSON.stringify(zone)}`,
			);
		}
		parsed.zone = zone;
	}
	try {
		Intl.getCanonicalLocales(parsed.locale);
	} catch {
		throw new TransformError(
			`Expected a locale such as "de-DE" in date format ${JSON.stringify(format)}, got ${JSON.stringify(parsed.locale)}`,
		);
	}
	return parsed;
}

function isValidZone(zone: string): boolean {
	try {
		return DateTime.utc().setZone(zone).isValid;
	} catch {
		return false; // luxon throws instead when Settings.throwOnInvalid is set
	}
}

/**
 * Formats an ISO 8601 string, epoch milliseconds or a Date (see {@link parseDateFormat} for the format).
 * Other numeric forms (epoch seconds, numeric text) are refused rather than guessed at.
 * @throws {TransformError} naming the value when it is not a valid date.
 */
export function formatDate(value: unknown, format: string | undefined): string {
	const dateFormat = parseDateFormat(format);
	const resultKey = typeof value === 'string' || typeof value === 'number' ? value : value instanceof Date ? value.getTime() : undefined;
	const cached = resultKey === undefined ? undefined : dateFormat.results.get(resultKey);
	if (cached !== undefined) return cached;
	const text = toDateTime(value, dateFormat).toFormat(dateFormat.pattern);
	if (resultKey !== undefined) {
		if (dateFormat.results.size >= MAX_CACHED_RESULTS) dateFormat.results.clear();
		dateFormat.results.set(resultKey, text);
	}
	return text;
}

/** @throws {TransformError} naming the value when it is not a valid date. */
function toDateTime(value: unknown, { zone, locale }: DateFormat): DateTime {
	let date: DateTime | undefined;
	try {
		if (typeof value === 'string') {
			date = DateTime.fromISO(value.trim(), { zone: zone ?? 'utc', setZone: zone === undefined, locale });
		} else if (typeof value === 'number') {
			date = DateTime.fromMillis(value, { zone: zone ?? 'utc', locale });
		} else if (value instanceof Date) {
			date = DateTime.fromJSDate(value, { zone: zone ?? 'utc' }).setLocale(locale);
		} else if (DateTime.isDateTime(value)) {
			date = (zone === undefined ? value : value.setZone(zone)).setLocale(locale);
		}
	} catch {
		// luxon throws instead of returning an invalid DateTime when Settings.throwOnInvalid is set.
		date = undefined;
	}
	if (date === undefined || !date.isValid) {
		throw new TransformError(
			`Expected an ISO 8601 date, epoch milliseconds or a Date for transform "date", got ${describeValue(value)}`,
		);
	}
	return date;
}
