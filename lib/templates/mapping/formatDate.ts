import { type DateFormatter, dateFormatter, type DateStyle, rememberBounded } from '../format';
import { asTransformError, TransformError } from './transformError';

/** Formats come from mapping rules, so there are few; the bound only guards against a runaway caller. */
const MAX_CACHED_FORMATS = 100;
/**
 * The shared formatter by format text. Reading the text and finding the formatter by its style takes about
 * 0.5 µs, twenty times a repeated date's cached result, and every mapped date value needs it.
 */
const formatters = new Map<string, DateFormatter>();

/**
 * Reads a `date` format: `pattern|zone|locale`, each part optional and trimmed, an empty part meaning the default.
 * - pattern: luxon `toFormat` tokens, default `yyyy-MM-dd`; literal text goes in single quotes
 *   (`dd.MM.yyyy 'um' HH:mm`). A pattern cannot contain `|`.
 * - zone: an IANA zone (`Europe/Berlin`), `UTC` or a fixed offset (`UTC+2`). Instants (epoch ms, Dates, text with
 *   an offset) are shown in it; text without an offset is read as wall time in it. Without a zone, text keeps its
 *   own offset and everything else is UTC, so `"2024-03-01"` stays 1 March on any server.
 * - locale: for month and weekday names, default en-US (`d. MMMM yyyy|Europe/Berlin|de-DE`, `MMMM||fr`).
 * The formatter (and the dates it has formatted) is shared with the render helper of the same style.
 * @throws {TransformError} for an unknown zone or locale, or more than three parts.
 */
export function parseDateFormat(format: string | undefined): DateFormatter {
	const text = format ?? '';
	return rememberBounded(formatters, MAX_CACHED_FORMATS, text, () => {
		const style = readDateFormat(text);
		return asTransformError(`in date format ${JSON.stringify(text)}`, () => dateFormatter(style));
	});
}

function readDateFormat(format: string): DateStyle {
	const parts = format.split('|');
	if (parts.length > 3) {
		throw new TransformError(`Expected a date format "pattern|zone|locale" with at most three parts, got ${JSON.stringify(format)}`);
	}
	const [pattern, zone, locale] = parts.map((part) => part.trim() || undefined);
	return { pattern, zone, locale };
}

/**
 * Formats ISO 8601 or SQL-style text (`2024-03-05 10:00:00`), epoch milliseconds or a Date (see
 * {@link parseDateFormat} for the format). Other numeric forms (epoch seconds, numeric text) are refused rather
 * than guessed at.
 * @throws {TransformError} naming the value when it is not a valid date.
 */
export function formatDate(value: unknown, format: string | undefined): string {
	const formatter = parseDateFormat(format);
	return asTransformError('for transform "date"', () => formatter.format(value));
}
