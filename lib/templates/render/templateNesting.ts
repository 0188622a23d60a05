import { handlebarsParser, lexerPosition } from './jisonParser';
import { TemplateSyntaxError, type TemplatePosition } from './templateErrors';

/**
 * Blocks and subexpressions nested deeper than this are refused. Handlebars' parser takes time quadratic in the
 * nesting depth (5,000 nested `{{#if}}` blocks, 75 KB, take 13 s to parse), and its compiler and renders recurse
 * once per level; real templates stay far below.
 */
export const MAX_NESTING = 100;

const NESTING_HINT =
	'Flatten the template: close blocks before opening new ones, or compute values in the workflow before this node.';

/** Tokens that open a block closed by `{{/name}}` (or `{{{{/name}}}}` for raw blocks). */
const BLOCK_OPENERS = new Set(['OPEN_BLOCK', 'OPEN_INVERSE', 'OPEN_PARTIAL_BLOCK', 'OPEN_RAW_BLOCK']);
const BLOCK_CLOSERS = new Set(['OPEN_ENDBLOCK', 'END_RAW_BLOCK']);
/** The token jison's lexer returns once the input is used up. */
const END_OF_INPUT = 1;

/**
 * Measures nesting with Handlebars' own lexer, which is linear, before the parser runs. `{{else if x}}` nests like
 * a block that the one `{{/if}}` closes, as it does in the parsed template. Lexical errors are left to the parser,
 * which reports them with context.
 */
export function assertNestingWithinLimit(source: string): void {
	const parser = handlebarsParser;
	const lexer = parser.lexer;
	lexer.yy = parser.yy;
	lexer.setInput(source);
	/** Per open block, the levels it adds: 1, plus 1 per `{{else if}}` of its chain. */
	const blocks: number[] = [];
	let blockLevels = 0;
	let subexpressionLevels = 0;
	// Every token but the last consumes input, so this bounds the loop whatever the lexer does.
	for (let tokens = 0; tokens <= source.length + 1; tokens++) {
		let token: number | string;
		try {
			token = lexer.lex();
		} catch {
			return;
		}
		if (token === END_OF_INPUT) return;
		const name = typeof token === 'number' ? parser.terminals_[token] : token;
		if (name === 'EOF') return;
		if (BLOCK_OPENERS.has(name)) {
			blocks.push(1);
			blockLevels++;
		} else if (name === 'OPEN_INVERSE_CHAIN' && blocks.length > 0) {
			blocks[blocks.length - 1]++;
			blockLevels++;
		} else if (BLOCK_CLOSERS.has(name)) {
			blockLevels -= blocks.pop() ?? 0;
		} else if (name === 'OPEN_SEXPR') {
			subexpressionLevels++;
		} else if (name === 'CLOSE_SEXPR') {
			subexpressionLevels = Math.max(0, subexpressionLevels - 1);
		}
		if (blockLevels + subexpressionLevels > MAX_NESTING) throw nestingError(lexerPosition());
	}
}

export function nestingError(position: TemplatePosition | undefined): TemplateSyntaxError {
	const reason = `blocks and subexpressions are nested more than ${MAX_NESTING} deep`;
	return new TemplateSyntaxError(reason, position, NESTING_HINT);
}
