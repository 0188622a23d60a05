import { describeValue } from './describeValue';
import { FormatError } from './formatError';

/**
 * Output locale when none is named: fixed, so that month names and separators do not depend on the server's
 * locale.
 */
export const DEFAULT_LOCALE = 'en-US';

/** @throws {FormatError} unless the value is a well-formed BCP 47 tag such as `de-DE` (`de_DE` is not). */
export function readLocale(value: unknown): string {
	if (typeof value === 'string') {
		try {
			Intl.getCanonicalLocales(value);
			return value;
		} catch {
			// reported below, like a locale that is not text
		}
	}
	throw new FormatError('a locale such as "en-US" or "de-DE"', describeValue(value));
}
