/**
 * A value or a formatting option the format module cannot use. Neutral on purpose: the mapping transforms and
 * the render helpers each turn it into their own error, and `expected` and `actual` are kept apart so that each
 * can say where the value came from (`for transform "date"`) without parsing the message.
 */
export class FormatError extends Error {
	override name = 'FormatError';

	constructor(
		/** What was wanted, e.g. `a finite number or numeric text`. */
		readonly expected: string,
		/** A short preview of what was given, from describeValue. */
		readonly actual: string,
		/** Why a value that looked right still failed, e.g. `you specified 13 (of type number) as a month`. */
		readonly reason?: string,
	) {
		super(`Expected ${expected}, got ${actual}${reason === undefined ? '' : `: ${reason}`}`);
	}
}
