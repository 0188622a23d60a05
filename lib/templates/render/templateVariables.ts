import { parseTemplate } from './parseTemplate';
import { isBlockParam, walkTemplate, type TemplateScope } from './walkTemplate';

export interface TemplateVariables {
	/** First segments of the paths read from the root of the data, sorted, unique: `customer` for `{{customer.name}}`. */
	variables: string[];
	/** The subset iterated with `{{#each}}` at the root: `items` for `{{#each items}}`. */
	loops: string[];
}

/**
 * What a template reads from the root of its data, for mapping item fields onto it. Paths inside `{{#each}}` and
 * `{{#with}}` read from the row or object, not the root, and are left out, except `@root.x` and `../x` paths that
 * climb back to the root. `{{#if}}` and `{{#unless}}` keep the context. Helper names, block params
 * (`as |row|`) and data variables (`@index`) are not variables.
 */
export function findTemplateVariables(source: string): TemplateVariables {
	return collectTemplateVariables(parseTemplate(source));
}

export function collectTemplateVariables(program: hbs.AST.Program): TemplateVariables {
	const variables = new Set<string>();
	const loops = new Set<string>();
	walkTemplate(program, {
		value(path, scope) {
			const name = rootVariableOf(path, scope);
			if (name !== undefined) variables.add(name);
		},
		helperCall(node, name, scope) {
			if (name !== 'each' || node.type !== 'BlockStatement') return;
			const [list] = node.params ?? [];
			if (list?.type !== 'PathExpression') return;
			const root = rootVariableOf(list as hbs.AST.PathExpression, scope);
			if (root !== undefined) loops.add(root);
		},
	});
	return { variables: [...variables].sort(), loops: [...loops].sort() };
}

function rootVariableOf(path: hbs.AST.PathExpression, scope: TemplateScope): string | undefined {
	if (path.data) return path.parts[0] === 'root' ? path.parts[1] : undefined;
	if (path.parts.length === 0 || isBlockParam(path, scope)) return undefined;
	// `../` climbs one context-changing block; landing exactly on the root means a root variable.
	return scope.depth - path.depth === 0 ? path.parts[0] : undefined;
}
