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
