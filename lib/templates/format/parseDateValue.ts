import { DateTime, Info } from 'luxon';
import { describeValue } from './describeValue';
import { FormatError } from './formatError';

export const EXPECTED_DATE = 'a date (ISO 8601 or SQL-style text, epoch milliseconds or a Date)';

export interface DateReading {
	/** Absent: text keeps the offset it carries, everything else is UTC. */
	zone?: string;
	locale: string;
}

/** @throws {FormatError} unless the value names a zone luxon knows: IANA (`Europe/Berlin`), `UTC` or `UTC+2`. */
export function readZone(value: unknown): string {
	if (typeof value === 'string' && isValidZone(value)) return value;
	throw new FormatError('a time zone such as "Europe/Berlin", "UTC" or "UTC+2"', describeValue(value));
}

function isValidZone(zone: string): boolean {
	try {
		return Info.normalizeZone(zone)?.isValid === true;
	} catch {
		return false; // luxon may throw instead when Settings.throwOnInvalid is set
	}
}

/**
 * Reads ISO 8601 text, SQL-style text (`2024-03-05 10:00:00`, as databases hand it out), epoch milliseconds, a
 * Date or a luxon DateTime. With a zone, instants are shown in it and text without an offset is read as wall time
 * there; without one, text keeps its own offset and everything else is UTC, so `"2024-03-01"` stays 1 March on
 * any server. Other numeric forms (epoch seconds, numeric text) are refused rather than guessed at.
 * @throws {FormatError} naming the value when it is not a valid date.
 */
export function parseDateValue(value: unknown, { zone, locale }: DateReading): DateTime {
	let date: DateTime | undefined;
	try {
		date = readDate(value, zone, locale);
	} catch {
		date = undefined; // luxon throws instead of returning an invalid DateTime when Settings.throwOnInvalid is set
	}
	if (date === undefined || !date.isValid) {
		throw new FormatError(EXPECTED_DATE, describeValue(value), invalidReason(date));
	}
	return date;
}

function readDate(value: unknown, zone: string | undefined, locale: string): DateTime | undefined {
	if (typeof value === 'string') {
		const text = value.trim();
		const options = zone === undefined ? { zone: 'utc', setZone: true, locale } : { zone, locale };
		const iso = DateTime.fromISO(text, options);
		if (iso.isValid) return iso;
		const sql = DateTime.fromSQL(text, options);
		return sql.isValid ? sql : iso; // when both fail, the ISO reason is the one worth reporting
	}
	if (typeof value === 'number') {
		return Number.isFinite(value) ? DateTime.fromMillis(value, { zone: zone ?? 'utc', locale }) : undefined;
	}
	if (value instanceof Date) return DateTime.fromJSDate(value, { zone: zone ?? 'utc' }).setLocale(locale);
	if (DateTime.isDateTime(value)) return (zone === undefined ? value : value.setZone(zone)).setLocale(locale);
	return undefined;
}

/** Luxon's explanation, except for unparsable text: that one only repeats the whole input, which may be long. */
function invalidReason(date: DateTime | undefined): string | undefined {
	if (date === undefined || date.invalidReason === 'unparsable') return undefined;
	return date.invalidExplanation ?? date.invalidReason ?? undefined;
}
