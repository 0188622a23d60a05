import { SAFE_HELPERS } from './helperCatalog';
import { MissingVariableError, type TemplatePosition } from './templateErrors';
import { walkTemplate } from './walkTemplate';

/** A path as written in the template, with Handlebars' location of it (1-based line, 0-based column). */
export interface WrittenPath {
	original: string;
	parts: readonly string[];
	line: number;
	column: number;
}

export function listWrittenPaths(program: hbs.AST.Program): WrittenPath[] {
	const paths: WrittenPath[] = [];
	walkTemplate(program, {
		value(path) {
			const start = path.loc?.start;
			if (start === undefined) return;
			paths.push({ original: path.original, parts: path.parts, line: start.line, column: start.column });
		},
	});
	return paths;
}

/**
 * Handlebars only checks the paths it prints in strict mode, not the ones passed to helpers; this marks the
 * variables passed to formatting helpers (`{{upper name}}`) as strict too, the flag Handlebars' compiler sets on
 * the paths it prints itself. It only ever turns on a check: the AST still comes from Handlebars' own parser.
 */
export function markStrictHelperArguments(program: hbs.AST.Program): void {
	walkTemplate(program, {
		helperCall(node, name) {
			if (SAFE_HELPERS.get(name)?.strictArgs !== true) return;
			for (const parameter of node.params ?? []) {
				if (parameter.type !== 'PathExpression') continue;
				(parameter as hbs.AST.PathExpression & { strict?: boolean }).strict = true;
			}
		},
	});
}

/**
 * Recognises the three ways a strict render fails on a missing value:
 * - Handlebars' own check of the last segment: `"city" not defined in [object Object]`, with the path's location;
 * - a missing value in the middle of a path, which Handlebars does not check: `{{customer.address.city}}` without
 *   `customer` fails with `Cannot read properties of undefined (reading 'address')`;
 * - a lookup into text or a number (`{{name.first}}` with a text `name`): `Cannot use 'in' operator to search for
 *   'first' in Ann`.
 * The last two carry no location; the path is found by the segment when only one written path has it.
 */
export function toMissingVariableError(error: unknown, paths: readonly WrittenPath[]): MissingVariableError | undefined {
	if (!(error instanceof Error)) return undefined;
	const checked = /^"([\s\S]*?)" not defined in /.exec(error.message);
	if (checked !== null) return fromStrictCheck(checked[1], error, paths);
	const intermediate = /^Cannot read properties of (?:undefined|null) \(reading '([\s\S]*)'\)$/.exec(error.message);
	if (intermediate !== null) return fromSegment(intermediate[1], -1, paths);
	const primitive = /^Cannot use 'in' operator to search for '([\s\S]*?)' in /.exec(error.message);
	if (primitive !== null) return fromSegment(primitive[1], 0, paths);
	return undefined;
}

/**
 * Handlebars checks the last segment only: `"city" not defined in undefined` means the segment before it is the
 * missing one (`address` in `customer.address.city`), while `in [object Object]` means `city` itself is.
 */
function fromStrictCheck(name: string, error: Error, paths: readonly WrittenPath[]): MissingVariableError {
	const { lineNumber, column } = error as { lineNumber?: unknown; column?: unknown };
	if (typeof lineNumber !== 'number' || typeof column !== 'number') {
		return new MissingVariableError(name, name, undefined);
	}
	const position = { line: lineNumber, column: column + 1 };
	const written = paths.find((path) => path.line === lineNumber && path.column === column);
	if (written === undefined) return new MissingVariableError(name, name, position);
	const parentMissing =
		written.parts.length > 1 && /" not defined in (?:undefined|null)(?: - \d+:\d+)?$/.test(error.message);
	const variable = parentMissing ? written.parts[written.parts.length - 2] : name;
	return new MissingVariableError(variable, written.original, position);
}

/**
 * `segment` was read from a value that is not an object; `offset` says which segment is the missing one: the one
 * before it (-1: its parent is undefined) or itself (0: its parent is text or a number).
 */
function fromSegment(segment: string, offset: -1 | 0, paths: readonly WrittenPath[]): MissingVariableError {
	const candidates = paths.filter((path) => path.parts.indexOf(segment, 1) > 0);
	const originals = new Set(candidates.map((path) => path.original));
	if (originals.size !== 1) return new MissingVariableError(segment, segment, undefined);
	const [written] = candidates;
	const variable = written.parts[written.parts.indexOf(segment, 1) + offset];
	const position: TemplatePosition | undefined =
		candidates.length === 1 ? { line: written.line, column: written.column + 1 } : undefined;
	return new MissingVariableError(variable, written.original, position);
}
