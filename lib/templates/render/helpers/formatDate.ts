import { DateTime, Info } from 'luxon';
import { describeValue, isMissing } from './describeValue';

export const DEFAULT_DATE_FORMAT = 'yyyy-MM-dd';
/** Fixed so that month and day names do not depend on the server's locale. */
const DATE_LOCALE = 'en-US';
const EXPECTED_DATE = 'Expected a date (ISO 8601 text, epoch milliseconds or a Date)';

interface ReadOptions {
	zone: string;
	setZone?: boolean;
	locale: string;
}

/**
 * `{{formatDate value format? zone?}}`: formats ISO 8601 text (or SQL-style `2024-03-05 10:00:00`), epoch
 * milliseconds or a Date with a Luxon format (default `yyyy-MM-dd`). With a zone, the date is shown in that zone
 * and text without an offset is read in it; without one, text keeps its own offset and everything else is UTC,
 * so output never depends on the server's time zone. A missing value renders as empty text.
 */
export function formatDate([value, format, zone]: unknown[]): string {
	if (isMissing(value)) return '';
	const pattern = isMissing(format) ? DEFAULT_DATE_FORMAT : format;
	if (typeof pattern !== 'string') {
		throw new TypeError(`Expected the format to be text such as "yyyy-MM-dd", got ${describeValue(format)}`);
	}
	const date = readDate(value, isMissing(zone) ? undefined : readZone(zone));
	if (!date.isValid) {
		const reason = date.invalidExplanation ?? date.invalidReason;
		throw new TypeError(`${EXPECTED_DATE}, got ${describeValue(value)}: ${reason}`);
	}
	return date.toFormat(pattern);
}

function readZone(zone: unknown): string {
	if (typeof zone !== 'string' || !Info.normalizeZone(zone)?.isValid) {
		throw new TypeError(`Expected a time zone such as "Europe/Berlin" or "UTC", got ${describeValue(zone)}`);
	}
	return zone;
}

function readDate(value: unknown, zone: string | undefined): DateTime {
	if (typeof value === 'string') {
		const text = value.trim();
		const options: ReadOptions =
			zone === undefined ? { zone: 'utc', setZone: true, locale: DATE_LOCALE } : { zone, locale: DATE_LOCALE };
		const iso = DateTime.fromISO(text, options);
		return iso.isValid ? iso : fallbackToSql(text, options, iso);
	}
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new TypeError(`${EXPECTED_DATE}, got ${describeValue(value)}`);
		return DateTime.fromMillis(value, { zone: zone ?? 'utc', locale: DATE_LOCALE });
	}
	if (value instanceof Date) return DateTime.fromJSDate(value, { zone: zone ?? 'utc' }).setLocale(DATE_LOCALE);
	throw new TypeError(`${EXPECTED_DATE}, got ${describeValue(value)}`);
}

/** Databases often hand out `2024-03-05 10:00:00`; when that fails too, the ISO reason is the one to report. */
function fallbackToSql(text: string, options: ReadOptions, iso: DateTime): DateTime {
	const sql = DateTime.fromSQL(text, options);
	return sql.isValid ? sql : iso;
}
