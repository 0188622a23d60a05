/** Anything with a `get(name)` method, such as fetch's `Headers`. */
export interface HeaderGetter {
	get(name: string): string | null | undefined;
}

/**
 * Response headers: either a getter (fetch's `Headers`) or a plain object whose keys are lower case, as Node's
 * `IncomingMessage.headers` and most HTTP clients give them. A repeated header given as an array counts by its
 * first value.
 */
export type HeaderSource = HeaderGetter | Readonly<Record<string, string | readonly string[] | undefined>>;

// A plain decimal: no sign, exponent, hex or trailing text, which `parseFloat` would let through.
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
// The shape the three HTTP-date forms share (RFC 9110 §5.6.7): a weekday name first, an hh:mm:ss time later.
// Checked before `Date.parse`, which otherwise reads strings such as "1" or "2026" as dates.
const HTTP_DATE_SHAPE = /^[A-Za-z]{3,9},?\s.*\b\d{2}:\d{2}:\d{2}\b/;
// asctime dates end in the year and carry no zone; HTTP says they are GMT, `Date.parse` would read local time.
const ASCTIME_ENDING = /\s\d{4}$/;

function headerValue(headers: HeaderSource, name: string): string | undefined {
	if (typeof (headers as HeaderGetter).get === 'function') {
		return (headers as HeaderGetter).get(name)?.trim() ?? undefined;
	}
	const value = (headers as Readonly<Record<string, string | readonly string[] | undefined>>)[name];
	const first = typeof value === 'string' ? value : value?.[0];
	return first?.trim();
}

function parseDecimal(text: string | undefined): number | undefined {
	if (text === undefined || !DECIMAL.test(text)) return undefined;
	const value = Number(text);
	return Number.isFinite(value) ? value : undefined;
}

function parseHttpDateMs(text: string, now: number): number | undefined {
	if (!HTTP_DATE_SHAPE.test(text)) return undefined;
	const at = Date.parse(ASCTIME_ENDING.test(text) ? `${text} GMT` : text);
	if (Number.isNaN(at)) return undefined;
	return Math.max(0, at - now);
}

/**
 * How long the server asked us to wait, in ms, or `undefined` when it did not say (or said nonsense). Headers in
 * order of authority: `retry-after-ms` (OpenAI-style, ms), `x-ms-retry-after-ms` (Azure, ms), then `retry-after`
 * as delta-seconds or an HTTP-date relative to `now` (a date in the past means 0). Fractions are accepted
 * everywhere. An invalid value is skipped and the next header is read.
 */
export function parseRetryAfterMs(headers: HeaderSource | null | undefined, now: number): number | undefined {
	if (headers === null || headers === undefined) return undefined;
	const milliseconds = parseDecimal(headerValue(headers, 'retry-after-ms'));
	if (milliseconds !== undefined) return milliseconds;
	const azureMilliseconds = parseDecimal(headerValue(headers, 'x-ms-retry-after-ms'));
	if (azureMilliseconds !== undefined) return azureMilliseconds;
	const retryAfter = headerValue(headers, 'retry-after');
	if (retryAfter === undefined) return undefined;
	const seconds = parseDecimal(retryAfter);
	if (seconds !== undefined) return Number.isFinite(seconds * 1000) ? seconds * 1000 : undefined;
	return parseHttpDateMs(retryAfter, now);
}
