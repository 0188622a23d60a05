/** Stable identifiers of template failures, for error outputs and metrics. */
export type TemplateErrorCode =
	| 'template_syntax'
	| 'template_too_large'
	| 'missing_variable'
	| 'output_too_large'
	| 'loop_limit'
	| 'render_failed';

/** Where in the template something went wrong; both 1-based. */
export interface TemplatePosition {
	line: number;
	column: number;
}

/** The base of every error the template engine throws; `description` tells the user what to change. */
export abstract class TemplateError extends Error {
	abstract readonly code: TemplateErrorCode;
	readonly description: string;

	constructor(message: string, description: string) {
		super(message);
		this.description = description;
	}
}

function at(position: TemplatePosition | undefined): string {
	return position === undefined ? '' : ` at line ${position.line}, column ${position.column}`;
}

/** The template cannot be compiled: bad syntax, an unknown helper, a helper used the wrong way, a partial. */
export class TemplateSyntaxError extends TemplateError {
	override name = 'TemplateSyntaxError';
	readonly code = 'template_syntax';
	readonly line?: number;
	readonly column?: number;

	constructor(reason: string, position: TemplatePosition | undefined, description: string) {
		super(`Template syntax error${at(position)}: ${reason}`, description);
		this.line = position?.line;
		this.column = position?.column;
	}
}

export class TemplateTooLargeError extends TemplateError {
	override name = 'TemplateTooLargeError';
	readonly code = 'template_too_large';

	constructor(
		readonly bytes: number,
		readonly limit: number,
	) {
		super(
			`The template is ${bytes} bytes, more than the limit of ${limit} bytes`,
			'Shorten the template or raise the template size limit.',
		);
	}
}

/** Strict mode only: the template reads a variable the data does not have. */
export class MissingVariableError extends TemplateError {
	override name = 'MissingVariableError';
	readonly code = 'missing_variable';
	readonly line?: number;
	readonly column?: number;

	constructor(
		/** The segment that is missing: `address` when `{{customer.address.city}}` finds a customer without one. */
		readonly variable: string,
		/** The path as written in the template, e.g. `customer.address.city`; equals `variable` when it is not known. */
		readonly path: string,
		position: TemplatePosition | undefined,
	) {
		super(
			`Missing template variable "${path}"${at(position)}`,
			`Strict mode requires every variable the template reads to exist. Map a field to "${path}", give it a ` +
				`fallback with {{default ${path} "..."}}, or turn strict mode off to render missing values as empty text.`,
		);
		this.line = position?.line;
		this.column = position?.column;
	}
}

export class OutputTooLargeError extends TemplateError {
	override name = 'OutputTooLargeError';
	readonly code = 'output_too_large';

	constructor(readonly limit: number) {
		super(
			`The rendered output is larger than the limit of ${limit} bytes`,
			'Render less data (fewer or shorter fields, fewer loop rows) or raise the output size limit.',
		);
	}
}

/** The loops of one render ran too often: nested `{{#each}}` blocks multiply their rows. */
export class LoopLimitError extends TemplateError {
	override name = 'LoopLimitError';
	readonly code = 'loop_limit';

	constructor(readonly limit: number) {
		super(
			`The template's loops ran more than ${limit} times in one render`,
			'Nested {{#each}} blocks multiply: each row of the outer list runs the whole inner loop. ' +
				'Loop over fewer rows, avoid looping over the same list inside itself, or raise the loop limit.',
		);
	}
}

/** Rendering failed for another reason, most often a helper given a value it cannot use. */
export class TemplateRenderError extends TemplateError {
	override name = 'TemplateRenderError';
	readonly code = 'render_failed';
	readonly line?: number;
	readonly column?: number;

	constructor(
		reason: string,
		readonly helper: string | undefined,
		position: TemplatePosition | undefined,
	) {
		const where = helper === undefined ? '' : ` in ${helper}`;
		super(
			`The template could not be rendered${where}${at(position)}: ${reason}`,
			helper === undefined
				? 'Check that the data has the shape the template expects.'
				: `Check the value passed to ${helper}, or wrap it in {{default ...}} when it may be missing.`,
		);
		this.line = position?.line;
		this.column = position?.column;
	}
}
