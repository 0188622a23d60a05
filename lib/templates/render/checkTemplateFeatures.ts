import { HELPER_NAMES, helperRule } from './helperCatalog';
import { TemplateSyntaxError } from './templateErrors';
import { pathOf, positionOf, walkTemplate } from './walkTemplate';

/**
 * Refuses, before anything is compiled, what the environment does not offer: unknown helpers, helpers written the
 * wrong way or with the wrong number of arguments, partials and decorators. Handlebars' `knownHelpersOnly` would
 * catch unknown helpers too, but only with its own wording; the rest would otherwise fail at render time.
 */
export function checkTemplateFeatures(program: hbs.AST.Program): void {
	walkTemplate(program, {
		unsupported(node) {
			const partial = node.type === 'PartialStatement' || node.type === 'PartialBlockStatement';
			throw new TemplateSyntaxError(
				partial ? 'partials ({{> name}}) are not supported' : 'decorators ({{* name}}) are not supported',
				positionOf(node),
				'Write the content into the template itself.',
			);
		},
		helperCall(node, name) {
			const rule = helperRule(name);
			const position = positionOf(node);
			if (rule === undefined) {
				throw new TemplateSyntaxError(
					`unknown helper "${pathOf(node).original}"`,
					position,
					`Available helpers: ${HELPER_NAMES.join(', ')}. ` +
						'To print a value, write it without arguments: {{name}}.',
				);
			}
			const isBlock = node.type === 'BlockStatement';
			if (rule.block && !isBlock) {
				throw new TemplateSyntaxError(
					`${name} is a block helper`,
					position,
					`Write it as a block: {{#${name} value}}...{{/${name}}}.`,
				);
			}
			if (!rule.block && isBlock) {
				throw new TemplateSyntaxError(
					`${name} is not a block helper`,
					position,
					`Write it as {{${name} value}} or (${name} value).`,
				);
			}
			const count = node.params?.length ?? 0;
			if (count < rule.minArgs || count > rule.maxArgs) {
				const expected = rule.minArgs === rule.maxArgs ? `${rule.minArgs}` : `${rule.minArgs} to ${rule.maxArgs}`;
				throw new TemplateSyntaxError(
					`${name} takes ${expected} argument${rule.maxArgs === 1 ? '' : 's'}, got ${count}`,
					position,
					'Separate arguments with spaces and quote text: {{formatDate createdAt "dd.MM.yyyy"}}.',
				);
			}
		},
	});
}
