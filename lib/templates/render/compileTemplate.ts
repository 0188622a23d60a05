import type { TemplateDelegate } from 'handlebars';
import { sha256Hex } from '../../shared/canonicalJson';
import { anchorRootPaths } from './anchorRootPaths';
import { assertByteLimit, assertTemplateFits, exceedsBytes, isStringLengthError } from './byteLimits';
import { checkTemplateFeatures } from './checkTemplateFeatures';
import { compileProgram } from './compileProgram';
import { RUNTIME_OPTIONS } from './environment';
import { openLoopBudget, restoreLoopBudget } from './loopBudget';
import { listWrittenPaths, markStrictHelperArguments, toMissingVariableError, type WrittenPath } from './missingVariable';
import { parseTemplate, toTemplateSyntaxError } from './parseTemplate';
import { OutputTooLargeError, TemplateError, TemplateRenderError } from './templateErrors';
import { collectTemplateVariables } from './templateVariables';

/** `html` escapes values (`&`, `<`, `>`, `"`, `'`, `` ` ``, `=`); `text` and `markdown` insert them as they are. */
export type TemplateFormat = 'text' | 'html' | 'markdown';

const TEMPLATE_FORMATS: readonly TemplateFormat[] = ['text', 'html', 'markdown'];

export interface CompileOptions {
	format: TemplateFormat;
	/** Missing variables fail the render with {@link MissingVariableError} instead of rendering as empty text. */
	strict: boolean;
	/** UTF-8 bytes of template source accepted at most. */
	maxTemplateBytes: number;
}

export interface RenderOptions {
	/** UTF-8 bytes of output accepted at most. */
	maxOutputBytes: number;
	/** Loop rows (all `{{#each}}` blocks together) one render may run. @default 100000 */
	maxLoopIterations?: number;
}

export const DEFAULT_MAX_LOOP_ITERATIONS = 100_000;

export interface CompiledTemplate {
	/** SHA-256 of source, format and strict mode: equal hashes render equally. */
	readonly hash: string;
	/** What the template reads from the root of its data; see {@link collectTemplateVariables}. */
	readonly variables: readonly string[];
	/** The variables it iterates with `{{#each}}`. */
	readonly loops: readonly string[];
	/**
	 * Renders the template with `data` as its root context.
	 *
	 * Work is bounded: a template has no recursion (no partials), so a render visits each part of it once per row
	 * of the loops around it, and the loops of one render share `maxLoopIterations`. Output is checked inside every
	 * loop as it grows and once more at the end, so it never grows far beyond `maxOutputBytes`.
	 */
	render(data: object, options: RenderOptions): string;
}

export function templateHash(source: string, format: TemplateFormat, strict: boolean): string {
	// Neither format nor the flag contains a newline, so the joined text is unambiguous.
	return sha256Hex(`${format}\n${strict}\n${source}`);
}

export function assertCompileOptions(options: CompileOptions): void {
	if (!TEMPLATE_FORMATS.includes(options?.format)) {
		const expected = TEMPLATE_FORMATS.join(', ');
		throw new TypeError(`Expected \`format\` to be one of ${expected}, got ${String(options?.format)}`);
	}
	if (typeof options.strict !== 'boolean') {
		throw new TypeError(`Expected \`strict\` to be a boolean, got ${String(options.strict)}`);
	}
	assertByteLimit('maxTemplateBytes', options.maxTemplateBytes);
}

/**
 * Checks, analyses and compiles a template, all at once: every compile error is thrown here, never on render.
 * Templates may come from item data and are treated as untrusted: only the helpers of our environment exist,
 * partials and decorators are refused, and renders cannot read prototype properties or call methods of the data.
 */
export function compileTemplate(source: string, options: CompileOptions): CompiledTemplate {
	if (typeof source !== 'string') throw new TypeError(`Expected \`source\` to be a string, got ${typeof source}`);
	assertCompileOptions(options);
	assertTemplateFits(source, options.maxTemplateBytes);
	const program = parseTemplate(source);
	checkTemplateFeatures(program);
	const { variables, loops } = collectTemplateVariables(program);
	const paths = options.strict ? listWrittenPaths(program) : [];
	if (options.strict) markStrictHelperArguments(program);
	anchorRootPaths(program);
	let template: TemplateDelegate;
	try {
		template = compileProgram(program, { strict: options.strict, noEscape: options.format !== 'html' });
	} catch (error) {
		throw toTemplateSyntaxError(error);
	}
	return {
		hash: templateHash(source, options.format, options.strict),
		variables,
		loops,
		render: (data, renderOptions) => renderTemplate(template, paths, data, renderOptions),
	};
}

/** `paths` is empty unless the template is strict: only strict renders fail on missing values. */
function renderTemplate(
	template: TemplateDelegate,
	paths: readonly WrittenPath[],
	data: object,
	options: RenderOptions,
): string {
	if (typeof data !== 'object' || data === null) {
		throw new TypeError(`Expected \`data\` to be an object, got ${data === null ? 'null' : typeof data}`);
	}
	const { maxOutputBytes, maxLoopIterations = DEFAULT_MAX_LOOP_ITERATIONS } = options;
	assertByteLimit('maxOutputBytes', maxOutputBytes);
	if (!Number.isInteger(maxLoopIterations) || maxLoopIterations < 0) {
		throw new TypeError(`Expected \`maxLoopIterations\` to be an integer from 0 and up, got ${maxLoopIterations}`);
	}
	const previousBudget = openLoopBudget(maxLoopIterations, maxOutputBytes);
	let output: string;
	try {
		output = template(data, RUNTIME_OPTIONS);
	} catch (error) {
		throw toRenderError(error, paths, maxOutputBytes);
	} finally {
		restoreLoopBudget(previousBudget);
	}
	if (exceedsBytes(output, maxOutputBytes)) throw new OutputTooLargeError(maxOutputBytes);
	return output;
}

function toRenderError(error: unknown, paths: readonly WrittenPath[], maxOutputBytes: number): TemplateError {
	if (error instanceof TemplateError) return error;
	if (isStringLengthError(error)) return new OutputTooLargeError(maxOutputBytes);
	const missing = paths.length > 0 ? toMissingVariableError(error, paths) : undefined;
	if (missing !== undefined) return missing;
	const located = error as { lineNumber?: unknown; column?: unknown };
	const position =
		typeof located.lineNumber === 'number' && typeof located.column === 'number'
			? { line: located.lineNumber, column: located.column + 1 }
			: undefined;
	const message = error instanceof Error ? error.message.replace(/ - \d+:\d+$/, '') : String(error);
	return new TemplateRenderError(message, undefined, position);
}
