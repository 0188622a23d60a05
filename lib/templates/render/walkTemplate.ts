import { helperRule } from './helperCatalog';
import type { TemplatePosition } from './templateErrors';
import { MAX_NESTING, nestingError } from './templateNesting';

type Program = hbs.AST.Program;
type PathExpression = hbs.AST.PathExpression;
/** A mustache, block or subexpression: a path, maybe with arguments. */
type CallNode = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;

/** Where a node sits: how many context-changing blocks enclose it, and which block params are visible. */
export interface TemplateScope {
	/** 0 at the root; `{{#each}}`, `{{#with}}` and `{{#list}}` sections add one, `{{#if}}` and `{{#unless}}` do not. */
	depth: number;
	blockParams: ReadonlyArray<readonly string[]>;
	/** Blocks and subexpressions around it, of any kind. */
	nesting: number;
}

export interface TemplateVisitor {
	/** A path read as a value: a plain `{{name}}`, a section's list, or an argument. */
	value?(path: PathExpression, scope: TemplateScope): void;
	/** A call of a helper by name (known or not), before its arguments are visited. */
	helperCall?(node: CallNode, name: string, scope: TemplateScope): void;
	/** A partial, partial block, decorator or decorator block: nothing inside it is visited. */
	unsupported?(node: hbs.AST.Node): void;
}

/**
 * Walks a parsed template the way Handlebars compiles it with `knownHelpersOnly`: a call with arguments, or a
 * bare name of a known helper, is a helper call; anything else is a value. Keeping this in one place means the
 * variable list, the feature check and strict mode all agree with what the compiler will do.
 */
export function walkTemplate(program: Program, visitor: TemplateVisitor): void {
	walkProgram(program, { depth: 0, blockParams: [], nesting: 0 }, visitor);
}

function walkProgram(program: Program | undefined, scope: TemplateScope, visitor: TemplateVisitor): void {
	if (program === undefined || program === null) return;
	const declared = program.blockParams;
	const inner = declared?.length ? { ...scope, blockParams: [declared, ...scope.blockParams] } : scope;
	for (const statement of program.body) walkStatement(statement, inner, visitor);
}

function walkStatement(node: hbs.AST.Statement, scope: TemplateScope, visitor: TemplateVisitor): void {
	switch (node.type) {
		case 'MustacheStatement':
			walkCall(node as hbs.AST.MustacheStatement, scope, visitor);
			return;
		case 'BlockStatement':
			walkBlock(node as hbs.AST.BlockStatement, scope, visitor);
			return;
		case 'PartialStatement':
		case 'PartialBlockStatement':
		case 'Decorator':
		case 'DecoratorBlock':
			visitor.unsupported?.(node);
			return;
		default:
			return; // content and comments
	}
}

function walkCall(node: CallNode, scope: TemplateScope, visitor: TemplateVisitor): void {
	const path = pathOf(node);
	const helper = helperNameOf(node, path, scope);
	if (helper === undefined) {
		visitor.value?.(path, scope);
		return;
	}
	visitor.helperCall?.(node, helper, scope);
	walkArguments(node, scope, visitor);
}

function walkBlock(node: hbs.AST.BlockStatement, outer: TemplateScope, visitor: TemplateVisitor): void {
	const scope = nested(node, outer);
	const path = pathOf(node);
	const helper = helperNameOf(node, path, scope);
	if (helper === undefined) {
		// A section, `{{#list}}...{{/list}}`: Handlebars runs it once per row of a list, once with an object as
		// context, or once unchanged for `true`; the first two change the context, so its body counts as deeper.
		visitor.value?.(path, scope);
		walkProgram(node.program, deeper(scope), visitor);
	} else {
		visitor.helperCall?.(node, helper, scope);
		walkArguments(node, scope, visitor);
		walkProgram(node.program, changesContext(node, helper) ? deeper(scope) : scope, visitor);
	}
	// `{{else}}` runs in the context around the block, for every block helper.
	walkProgram(node.inverse, scope, visitor);
}

function walkArguments(node: CallNode, scope: TemplateScope, visitor: TemplateVisitor): void {
	for (const parameter of node.params ?? []) walkExpression(parameter, scope, visitor);
	for (const pair of node.hash?.pairs ?? []) walkExpression(pair.value, scope, visitor);
}

function walkExpression(node: hbs.AST.Expression, scope: TemplateScope, visitor: TemplateVisitor): void {
	if (node.type === 'PathExpression') visitor.value?.(node as PathExpression, scope);
	else if (node.type === 'SubExpression') walkCall(node as hbs.AST.SubExpression, nested(node, scope), visitor);
}

/** Parsing has measured nesting already (`assertNestingWithinLimit`); checked again because this walk recurses. */
function nested(node: hbs.AST.Node, scope: TemplateScope): TemplateScope {
	if (scope.nesting >= MAX_NESTING) throw nestingError(positionOf(node));
	return { ...scope, nesting: scope.nesting + 1 };
}

function deeper(scope: TemplateScope): TemplateScope {
	return { ...scope, depth: scope.depth + 1 };
}

/** `{{#with this}}` keeps the context, and Handlebars then does not count a level for `../`. */
function changesContext(node: hbs.AST.BlockStatement, helper: string): boolean {
	if (helper === 'each') return true;
	if (helper !== 'with') return false;
	const [subject] = node.params ?? [];
	return !(subject?.type === 'PathExpression' && isContextReference(subject as PathExpression));
}

function isContextReference(path: PathExpression): boolean {
	return !path.data && path.depth === 0 && path.parts.length === 0;
}

/** Handlebars also accepts a literal in the helper position (`{{"name"}}`) and reads it as a one-part path. */
export function pathOf(node: CallNode): PathExpression {
	const path = node.path as PathExpression | (hbs.AST.Literal & { original?: unknown });
	if (path.type === 'PathExpression') return path as PathExpression;
	const name = String((path as { original?: unknown }).original);
	return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc: path.loc };
}

/** `this.x`, `./x` and `.` are scoped: they never name a helper or a block param. */
export function isScoped(path: PathExpression): boolean {
	return /^\.|this\b/.test(path.original);
}

export function isBlockParam(path: PathExpression, scope: TemplateScope): boolean {
	if (path.data || path.depth !== 0 || path.parts.length === 0 || isScoped(path)) return false;
	const [first] = path.parts;
	return scope.blockParams.some((names) => names.includes(first));
}

function helperNameOf(node: CallNode, path: PathExpression, scope: TemplateScope): string | undefined {
	const simple = path.parts.length === 1 && !isScoped(path) && !path.depth;
	if (simple && isBlockParam(path, scope)) return undefined;
	const hasArguments = node.type === 'SubExpression' || (node.params?.length ?? 0) > 0 || Boolean(node.hash);
	if (hasArguments) return path.parts[0] ?? path.original;
	return simple && helperRule(path.parts[0]) !== undefined ? path.parts[0] : undefined;
}

/** Handlebars' locations have a 1-based line and a 0-based column; ours are both 1-based. */
export function positionOf(node: hbs.AST.Node): TemplatePosition | undefined {
	const start = node.loc?.start;
	return start === undefined ? undefined : { line: start.line, column: start.column + 1 };
}
