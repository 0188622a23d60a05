import { FormatError } from '../format';

/** A value that a transform cannot handle, or a transform format that is not understood. */
export class TransformError extends Error {
	override name = 'TransformError';
	readonly errorClass = 'validation' as const;
	constructor(
		message: string,
		/** The template variable being mapped, when known. */
		readonly variable?: string,
	) {
		super(message);
	}
}

/**
 * Runs a call into the shared format module, turning its neutral errors into TransformErrors that say where the
 * value or option came from: `where` goes after the expectation (`for transform "date"`).
 */
export function asTransformError<T>(where: string, run: () => T): T {
	try {
		return run();
	} catch (error) {
		if (!(error instanceof FormatError)) throw error;
		const reason = error.reason === undefined ? '' : `: ${error.reason}`;
		throw new TransformError(`Expected ${error.expected} ${where}, got ${error.actual}${reason}`);
	}
}
