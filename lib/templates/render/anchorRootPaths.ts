import { isBlockParam, walkTemplate } from './walkTemplate';

/**
 * Turns every `../` path that climbs exactly to the root (`{{../../big}}` inside two loops) into `@root.big`.
 *
 * Handlebars counts `../` levels at render time and skips a level when a block's context equals the one around
 * it: in `{{#each rows}}{{#each ../rows}}` the inner row equals the outer row once per outer row, so on those
 * rows `../../big` climbs past the root and reads nothing (strict mode then reports `big` missing though the data
 * has it). The variable analysis counts levels as written, which is what the author means; anchoring root paths
 * makes the render read what the analysis mapped. The node keeps `original`, so messages show the path as written.
 */
export function anchorRootPaths(program: hbs.AST.Program): void {
	walkTemplate(program, {
		value(path, scope) {
			if (path.data || path.depth === 0 || path.parts.length === 0 || isBlockParam(path, scope)) return;
			if (scope.depth - path.depth !== 0) return;
			const anchored = path as hbs.AST.PathExpression & { depth: number; data: boolean; parts: string[] };
			anchored.parts = ['root', ...path.parts];
			anchored.data = true;
			anchored.depth = 0;
		},
	});
}
