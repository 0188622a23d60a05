import { templateEnvironment } from './environment';
import { lexerPosition } from './jisonParser';
import { TemplateSyntaxError, type TemplatePosition } from './templateErrors';
import { assertNestingWithinLimit } from './templateNesting';

const SYNTAX_HINT =
	'Check that every {{ has a matching }}, and that every {{#block}} is closed by {{/block}} with the same name.';

/**
 * Parses without Handlebars' whitespace processing (standalone lines, `~`): compilation applies it, and it must be
 * applied exactly once. Nesting is limited first, since the parser's time grows with its square. Syntax errors
 * become {@link TemplateSyntaxError} with a 1-based line and column.
 */
export function parseTemplate(source: string): hbs.AST.Program {
	assertNestingWithinLimit(source);
	try {
		return templateEnvironment.parseWithoutProcessing(source);
	} catch (error) {
		throw toTemplateSyntaxError(error, lexerPosition());
	}
}

/**
 * Handlebars' own exceptions carry `lineNumber` and a 0-based `column`; the parser's "Parse error on line N"
 * messages carry neither, so the caller passes where the parser stopped.
 */
export function toTemplateSyntaxError(error: unknown, parserPosition?: TemplatePosition): TemplateSyntaxError {
	if (error instanceof TemplateSyntaxError) return error;
	const message = error instanceof Error ? error.message : String(error);
	const located = error as { lineNumber?: unknown; column?: unknown };
	if (typeof located.lineNumber === 'number' && typeof located.column === 'number') {
		const reason = message.replace(/ - \d+:\d+$/, '');
		return new TemplateSyntaxError(reason, { line: located.lineNumber, column: located.column + 1 }, SYNTAX_HINT);
	}
	if (/^(Parse|Lexical) error on line \d+/.test(message)) {
		const lines = message.split('\n');
		// The parser's message is a header, the text around the error with a caret under it, then what it expected.
		return new TemplateSyntaxError(lines[lines.length - 1], parserPosition, `${message}\n\n${SYNTAX_HINT}`);
	}
	return new TemplateSyntaxError(message, undefined, SYNTAX_HINT);
}
