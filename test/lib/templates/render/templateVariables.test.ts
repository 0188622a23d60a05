import { findTemplateVariables, TemplateSyntaxError } from '../../../../lib/templates/render';

describe('findTemplateVariables', () => {
	it('lists the first segment of plain paths, sorted and unique', () => {
		expect(findTemplateVariables('{{b}} {{a.x.y}} {{a.z}} {{this.c}} {{./d}}')).toEqual({
			variables: ['a', 'b', 'c', 'd'],
			loops: [],
		});
	});

	it('counts the subject of blocks, and reads #if and #unless bodies at the same level', () => {
		expect(findTemplateVariables('{{#if x}}{{y}}{{else}}{{z}}{{/if}}{{#unless u}}{{v}}{{/unless}}')).toEqual({
			variables: ['u', 'v', 'x', 'y', 'z'],
			loops: [],
		});
	});

	it('takes arguments of helpers and subexpressions, never the helper names', () => {
		const result = findTemplateVariables(
			'{{formatDate date "yyyy"}} {{upper (default nick fallback)}} {{#if (eq status "paid")}}ok{{/if}}',
		);
		expect(result.variables).toEqual(['date', 'fallback', 'nick', 'status']);
	});

	it('takes hash values but not hash keys', () => {
		expect(findTemplateVariables('{{upper name key=other}}').variables).toEqual(['name', 'other']);
	});

	it('leaves out paths relative to #each rows and #with objects, and lists loops', () => {
		const result = findTemplateVariables('{{#each items}}{{sku}} {{name}}{{/each}}{{#with customer}}{{email}}{{/with}}');
		expect(result).toEqual({ variables: ['customer', 'items'], loops: ['items'] });
	});

	it('keeps ../ paths that climb back to the root, and @root paths at any depth', () => {
		const source =
			'{{#each items}}{{../currency}}{{@root.shop.name}}{{#each tags}}{{../../title}}{{../sku}}{{/each}}{{/each}}' +
			'{{@root.top}}';
		expect(findTemplateVariables(source)).toEqual({
			variables: ['currency', 'items', 'shop', 'title', 'top'],
			loops: ['items'],
		});
	});

	it('does not count #if inside #each as a level for ../', () => {
		expect(findTemplateVariables('{{#each items}}{{#if active}}{{../currency}}{{/if}}{{/each}}').variables).toEqual([
			'currency',
			'items',
		]);
	});

	it('ignores ../ that climbs past the root, block params and data variables', () => {
		const source = '{{../outside}}{{#each rows as |row i|}}{{row.a}}{{i}}{{@index}}{{@first}}{{/each}}{{@index}}';
		expect(findTemplateVariables(source)).toEqual({ variables: ['rows'], loops: ['rows'] });
	});

	it('reads {{else}} of #each and #with in the surrounding context', () => {
		const source = '{{#each items}}{{a}}{{else}}{{empty}}{{/each}}{{#with c}}{{d}}{{else}}{{e}}{{/with}}';
		expect(findTemplateVariables(source).variables).toEqual(['c', 'e', 'empty', 'items']);
	});

	it('treats {{#with this}} as keeping the root', () => {
		expect(findTemplateVariables('{{#with this}}{{name}}{{/with}}').variables).toEqual(['name']);
	});

	it('treats sections ({{#list}}) as changing the context, and lists nested loops only when they start at the root', () => {
		const result = findTemplateVariables(
			'{{#rows}}{{cell}}{{/rows}}{{^none}}-{{/none}}{{#each a}}{{#each b}}{{/each}}{{#each @root.c}}{{/each}}{{/each}}',
		);
		expect(result).toEqual({ variables: ['a', 'c', 'none', 'rows'], loops: ['a', 'c'] });
	});

	it('throws a syntax error with its position for a broken template', () => {
		expect(() => findTemplateVariables('line one\n{{#if x}}\n{{/each}}')).toThrow(TemplateSyntaxError);
	});
});
