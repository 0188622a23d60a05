import { CompiledTemplateCache, TemplateSyntaxError } from '../../../lib/templates/render';
import { InvalidMappingError } from '../../../lib/templates/mapping';
import { compileUsableTemplate } from '../../../lib/templates/usableTemplate';

const OPTIONS = { format: 'text' as const, strict: true, maxTemplateBytes: 10_000 };

describe('compileUsableTemplate', () => {
	it('passes a template whose root variables mapping can fill', () => {
		const { template } = compileUsableTemplate(new CompiledTemplateCache(), 'Hi {{name}} {{#each rows}}{{../big}}{{/each}}', OPTIONS);
		expect(template.variables).toEqual(['big', 'name', 'rows']);
	});

	it('refuses templates that compile but read a root variable mapping never fills, on a cache hit too', () => {
		const cache = new CompiledTemplateCache();
		for (let attempt = 0; attempt < 2; attempt++) {
			expect(() => compileUsableTemplate(cache, '{{constructor.constructor}}', OPTIONS)).toThrow(InvalidMappingError);
		}
		expect(cache.stats()).toMatchObject({ misses: 1, hits: 1 });
		expect(() => compileUsableTemplate(cache, '{{#if x}}', OPTIONS)).toThrow(TemplateSyntaxError);
	});
});
