import {
	FormatError,
	MAX_DECIMALS,
	numberFormatter as sharedNumberFormatter,
	parseNumberValue,
	rememberBounded,
	type NumberStyle,
} from '../format';
import { asTransformError, TransformError } from './transformError';

/** Formats come from mapping rules, so there are few; the bound only guards against a runaway caller. */
const MAX_CACHED_FORMATS = 100;
/** The shared formatter by format text, so that a mapped number does not read its format again. */
const formatters = new Map<string, Intl.NumberFormat>();

/**
 * The formatter for a `number` format: `""` or absent (en-US, Intl's default of up to 3 decimals), `"2"`
 * (decimals), `"de-DE"` (locale) or `"de-DE:2"` (locale and decimals). Fixed decimals both pad and round
 * (`"2"`: 1.5 -> "1.50"). Grouping separators are on.
 * @throws {TransformError} for a format it does not understand.
 */
export function numberFormatter(format: string | undefined): Intl.NumberFormat {
	const text = format ?? '';
	return rememberBounded(formatters, MAX_CACHED_FORMATS, text, () => {
		try {
			return sharedNumberFormatter(readNumberFormat(text));
		} catch (error) {
			// One message for every kind of bad format: it shows the syntax, which is what the user has to fix.
			if (error instanceof FormatError) throw formatError(text);
			throw error;
		}
	});
}

/** Splits `locale:decimals`; the shared formatter checks the locale and the range of decimals. */
function readNumberFormat(format: string): NumberStyle {
	const separator = format.indexOf(':');
	let locale = '';
	let decimalsText = '';
	if (separator >= 0) {
		locale = format.slice(0, separator);
		decimalsText = format.slice(separator + 1);
		if (locale === '' || decimalsText === '') throw formatError(format);
	} else if (/^\d+$/.test(format)) {
		decimalsText = format;
	} else {
		locale = format;
	}
	if (decimalsText !== '' && !/^\d+$/.test(decimalsText)) throw formatError(format);
	return { locale: locale || undefined, decimals: decimalsText === '' ? undefined : Number(decimalsText) };
}

function formatError(format: string): TransformError {
	return new TransformError(
		`Expected a number format such as "2", "de-DE" or "de-DE:2" (locale:decimals, 0 to ${MAX_DECIMALS} decimals), got ${JSON.stringify(format)}`,
	);
}

/**
 * Formats a finite number, or text holding one in plain decimal notation (`"1234.5"`, `" -3 "`, `"1e3"`).
 * Text with grouping (`"1,234"`), hex or words is refused rather than guessed at.
 * @throws {TransformError} naming the value when it is not numeric.
 */
export function formatNumber(value: unknown, format: string | undefined): string {
	const formatter = numberFormatter(format);
	return formatter.format(asTransformError('for transform "number"', () => parseNumberValue(value)));
}
