import Handlebars from 'handlebars';
import { templateEnvironment } from '../../../../lib/templates/render/environment';
import {
	compileTemplate,
	LoopLimitError,
	MissingVariableError,
	OutputTooLargeError,
	TemplateError,
	TemplateRenderError,
	TemplateSyntaxError,
	TemplateTooLargeError,
	type CompileOptions,
	type RenderOptions,
} from '../../../../lib/templates/render';

const TEXT: CompileOptions = { format: 'text', strict: false, maxTemplateBytes: 10_000 };
const STRICT: CompileOptions = { ...TEXT, strict: true };
const LIMITS: RenderOptions = { maxOutputBytes: 10_000 };

function thrown(run: () => unknown): unknown {
	try {
		run();
	} catch (error) {
		return error;
	}
	throw new Error('Expected an error');
}

function compileError(source: string, options: CompileOptions = TEXT): unknown {
	return thrown(() => compileTemplate(source, options));
}

function renderError(source: string, data: object, options: CompileOptions = TEXT, limits: RenderOptions = LIMITS): unknown {
	const template = compileTemplate(source, options);
	return thrown(() => template.render(data, limits));
}

describe('compileTemplate', () => {
	describe('strict mode', () => {
		it('names the missing variable, with its position', () => {
			const error = renderError('Hello\n  {{customer.name}}', { customer: {} }, STRICT);
			expect(error).toBeInstanceOf(MissingVariableError);
			expect(error).toMatchObject({ code: 'missing_variable', variable: 'name', path: 'customer.name', line: 2, column: 5 });
			expect((error as Error).message).toBe('Missing template variable "customer.name" at line 2, column 5');
		});

		it('names the missing segment in the middle of a path', () => {
			const source = '{{customer.address.city}}';
			expect(renderError(source, {}, STRICT)).toMatchObject({ variable: 'customer', path: 'customer.address.city' });
			expect(renderError(source, { customer: {} }, STRICT)).toMatchObject({ variable: 'address', line: 1, column: 3 });
			expect(renderError(source, { customer: 'Ann' }, STRICT)).toMatchObject({ variable: 'address' });
		});

		it('checks variables passed to formatting helpers, but not those tested or given a fallback', () => {
			expect(renderError('{{upper nick}}', {}, STRICT)).toMatchObject({ variable: 'nick' });
			expect(renderError('{{formatDate d "yyyy" zone}}', { d: '2024-01-01' }, STRICT)).toMatchObject({ variable: 'zone' });
			const lenient =
				'{{#if nick}}{{nick}}{{else}}{{default nick "friend"}}{{/if}}{{#each none}}{{/each}}{{#if (eq a b)}}={{/if}}';
			expect(compileTemplate(lenient, STRICT).render({}, LIMITS)).toBe('friend=');
		});

		it('checks variables inside loops against the row', () => {
			const source = '{{#each items}}{{sku}}{{/each}}';
			expect(compileTemplate(source, STRICT).render({ items: [{ sku: 'a' }] }, LIMITS)).toBe('a');
			expect(renderError(source, { items: [{ sku: 'a' }, {}] }, STRICT)).toMatchObject({ variable: 'sku', column: 18 });
		});

		it('resolves ../ paths that climb to the root as written, also on rows equal to the row around them', () => {
			// Handlebars skips a ../ level when a loop row equals its parent row: on the diagonal of rows x rows.
			const source = '{{#each rows}}{{#each ../rows}}[{{../../big}}{{upper ../../big}}]{{/each}}{{/each}}';
			for (const rows of [[1, 2], ['x', 'y'], [{ a: 1 }, { a: 2 }]]) {
				for (const options of [STRICT, TEXT]) {
					expect(compileTemplate(source, options).render({ rows, big: 'b' }, LIMITS)).toBe('[bB][bB][bB][bB]');
				}
			}
			expect(compileTemplate('{{#each rows}}{{#../rows}}{{../../big}}{{/../rows}}{{/each}}', STRICT).render({ rows: [1], big: 'b' }, LIMITS)).toBe('b');
			const missing = renderError('{{#each rows}}{{#each ../rows}}{{../../nope}}{{/each}}{{/each}}', { rows: [1] }, STRICT);
			expect(missing).toMatchObject({ variable: 'nope', path: '../../nope', line: 1, column: 34 });
		});

		it('accepts null values that exist', () => {
			expect(compileTemplate('[{{a}}]', STRICT).render({ a: null }, LIMITS)).toBe('[]');
		});
	});

	it('renders missing variables as empty text when not strict', () => {
		expect(compileTemplate('[{{a}}][{{b.c.d}}][{{upper e}}]', TEXT).render({}, LIMITS)).toBe('[][][]');
	});

	describe('escaping', () => {
		const data = { name: `<b>"Tom" & 'Jerry'</b>`, obj: { tag: '<i>' } };

		it('escapes HTML in html templates, except in triple braces', () => {
			const template = compileTemplate('{{name}}|{{{name}}}', { ...TEXT, format: 'html' });
			expect(template.render(data, LIMITS)).toBe(
				'&lt;b&gt;&quot;Tom&quot; &amp; &#x27;Jerry&#x27;&lt;/b&gt;|<b>"Tom" & \'Jerry\'</b>',
			);
		});

		it('escapes the output of json in html templates', () => {
			expect(compileTemplate('{{json obj}}', { ...TEXT, format: 'html' }).render(data, LIMITS)).toBe(
				'{&quot;tag&quot;:&quot;&lt;i&gt;&quot;}',
			);
		});

		it('inserts values as they are in text and markdown templates', () => {
			for (const format of ['text', 'markdown'] as const) {
				expect(compileTemplate('{{name}} {{json obj}}', { ...TEXT, format }).render(data, LIMITS)).toBe(
					`<b>"Tom" & 'Jerry'</b> {"tag":"<i>"}`,
				);
			}
		});
	});

	describe('limits', () => {
		it('refuses a template over the byte limit, counting UTF-8 bytes', () => {
			expect(compileTemplate('ab', { ...TEXT, maxTemplateBytes: 2 }).render({}, LIMITS)).toBe('ab');
			const error = compileError('éé', { ...TEXT, maxTemplateBytes: 3 });
			expect(error).toBeInstanceOf(TemplateTooLargeError);
			expect(error).toMatchObject({ code: 'template_too_large', bytes: 4, limit: 3 });
		});

		it('refuses output over the byte limit, counting UTF-8 bytes', () => {
			const template = compileTemplate('{{text}}', TEXT);
			expect(template.render({ text: 'abcd' }, { maxOutputBytes: 4 })).toBe('abcd');
			expect(thrown(() => template.render({ text: 'abcde' }, { maxOutputBytes: 4 }))).toBeInstanceOf(OutputTooLargeError);
			expect(thrown(() => template.render({ text: 'ééé' }, { maxOutputBytes: 5 }))).toMatchObject({
				code: 'output_too_large',
				limit: 5,
			});
		});

		it('reports output beyond the longest possible string as its output-size error, not a RangeError', () => {
			// 2 x 256 MiB passes V8's maximum string length (about 512 MiB): the concatenation itself fails.
			const huge = 'a'.repeat(2 ** 28);
			for (const source of ['{{x}}{{x}}', '{{#each rows}}{{../x}}{{../x}}{{/each}}', '{{#each rows}}{{json @root.x}}{{@root.x}}{{/each}}']) {
				const error = renderError(source, { x: huge, rows: [1] }, TEXT, { maxOutputBytes: 2 ** 30 });
				expect(error).toBeInstanceOf(OutputTooLargeError);
				expect(error).toMatchObject({ code: 'output_too_large', limit: 2 ** 30 });
			}
		});

		it('stops a loop as soon as its output passes the limit', () => {
			let rendered = 0;
			const data = {
				rows: Array.from({ length: 1_000 }, () => 1),
				get big() {
					rendered++;
					return 'x'.repeat(1_000);
				},
			};
			expect(renderError('{{#each rows}}{{@root.big}}{{/each}}', data)).toBeInstanceOf(OutputTooLargeError);
			expect(rendered).toBeLessThanOrEqual(11);
		});

		it('stops nested loops that multiply past the loop limit', () => {
			const source = '{{#each l}}{{#each @root.l}}{{#each @root.l}}{{#each @root.l}}{{/each}}{{/each}}{{/each}}{{/each}}';
			const data = { l: Array.from({ length: 1_000 }, (_, index) => index) };
			const started = Date.now();
			const error = renderError(source, data);
			expect(error).toBeInstanceOf(LoopLimitError);
			expect(error).toMatchObject({ code: 'loop_limit', limit: 100_000 });
			expect(Date.now() - started).toBeLessThan(2_000);
			const small = { ...LIMITS, maxLoopIterations: 2 };
			expect(renderError('{{#each l}}{{/each}}', { l: [1, 2, 3] }, TEXT, small)).toBeInstanceOf(LoopLimitError);
		});

		it('counts sections over lists as loops', () => {
			const source = '{{#l}}{{#@root.l}}x{{/@root.l}}{{/l}}';
			expect(compileTemplate(source, TEXT).render({ l: [1, 2] }, LIMITS)).toBe('xxxx');
			const small = { ...LIMITS, maxLoopIterations: 5 };
			expect(renderError(source, { l: [1, 2] }, TEXT, small)).toBeInstanceOf(LoopLimitError);
		});

		it('refuses limits that are not positive integers, and data that is not an object', () => {
			const template = compileTemplate('x', TEXT);
			expect(() => template.render({}, { maxOutputBytes: 0 })).toThrow('Expected `maxOutputBytes`');
			expect(() => template.render({}, { maxOutputBytes: 10, maxLoopIterations: 1.5 })).toThrow(
				'Expected `maxLoopIterations`',
			);
			expect(() => template.render(null as unknown as object, LIMITS)).toThrow('Expected `data` to be an object, got null');
			expect(compileError('x', { ...TEXT, maxTemplateBytes: Number.POSITIVE_INFINITY })).toMatchObject({
				message: expect.stringContaining('Expected `maxTemplateBytes`'),
			});
			expect(compileError('x', { ...TEXT, format: 'pdf' as 'text' })).toMatchObject({
				message: 'Expected `format` to be one of text, html, markdown, got pdf',
			});
		});
	});

	describe('syntax errors', () => {
		it('reports the line and column of a parse error', () => {
			const error = compileError('Dear {{name}},\n  {{#if paid}\nthanks');
			expect(error).toBeInstanceOf(TemplateSyntaxError);
			expect(error).toMatchObject({ code: 'template_syntax', line: 2, column: 13 });
			expect((error as Error).message).toMatch(/^Template syntax error at line 2, column 13: Expecting .*, got 'INVALID'$/);
			expect((error as TemplateError).description).toContain('{{#if paid}');
		});

		it('reports the position of a block closed by the wrong name', () => {
			expect(compileError('a\n{{#if x}}\n{{/each}}')).toMatchObject({
				message: "Template syntax error at line 2, column 4: if doesn't match each",
				line: 2,
				column: 4,
			});
		});

		it('reports an unclosed block at the end of the template', () => {
			expect(compileError('{{#each items}}\n{{name}}')).toMatchObject({ code: 'template_syntax', line: 2 });
		});

		it('refuses unknown helpers, helpers written the wrong way, and the wrong number of arguments', () => {
			expect(compileError('\n  {{shout name}}')).toMatchObject({
				message: 'Template syntax error at line 2, column 3: unknown helper "shout"',
				description: expect.stringContaining('formatDate'),
			});
			const reasons: Array<[string, string]> = [
				['{{each items}}', 'each is a block helper'],
				['{{#upper a}}x{{/upper}}', 'upper is not a block helper'],
				['{{eq a}}', 'eq takes 2 arguments, got 1'],
				['{{formatDate}}', 'formatDate takes 1 to 3 arguments, got 0'],
				['{{#if a b}}{{/if}}', 'if takes 1 argument, got 2'],
			];
			for (const [source, reason] of reasons) {
				expect(compileError(source)).toMatchObject({ message: `Template syntax error at line 1, column 1: ${reason}` });
			}
		});

		it('refuses nesting past 100 levels before parsing, which would take seconds', () => {
			const nest = (depth: number) => '{{#if a}}'.repeat(depth) + 'x' + '{{/if}}'.repeat(depth);
			expect(compileTemplate(nest(100), TEXT).render({ a: true }, LIMITS)).toBe('x');
			expect(compileError(nest(101))).toMatchObject({
				code: 'template_syntax',
				message: 'Template syntax error at line 1, column 901: blocks and subexpressions are nested more than 100 deep',
			});
			const started = Date.now();
			expect(compileError(nest(8_000), { ...TEXT, maxTemplateBytes: 1_000_000 })).toBeInstanceOf(TemplateSyntaxError);
			expect(Date.now() - started).toBeLessThan(1_000);
			const chain = (links: number) => `{{#if a}}${'{{else if b}}'.repeat(links)}{{/if}}`;
			expect(() => compileTemplate(chain(99), TEXT)).not.toThrow();
			expect(compileError(chain(100))).toBeInstanceOf(TemplateSyntaxError);
			const calls = (depth: number) => `{{upper ${'(default '.repeat(depth)}a${' "b")'.repeat(depth)}}}`;
			expect(compileTemplate(calls(100), TEXT).render({ a: 'x' }, LIMITS)).toBe('X');
			expect(compileError(calls(101))).toBeInstanceOf(TemplateSyntaxError);
		});

		it('refuses partials and decorators', () => {
			expect(compileError('{{> header}}')).toMatchObject({ message: expect.stringContaining('partials') });
			expect(compileError('{{#> layout}}x{{/layout}}')).toMatchObject({ message: expect.stringContaining('partials') });
			expect(compileError('{{#*inline "p"}}x{{/inline}}')).toMatchObject({ message: expect.stringContaining('decorators') });
		});
	});

	it('reports other render failures as TemplateRenderError', () => {
		const items = {
			[Symbol.iterator]: () => {
				throw new Error('broken iterator');
			},
		};
		const error = renderError('{{#each items}}{{/each}}', { items });
		expect(error).toBeInstanceOf(TemplateRenderError);
		expect(error).toMatchObject({ code: 'render_failed', message: 'The template could not be rendered: broken iterator' });
	});

	it('gives every error a code and a description for users', () => {
		const errors = [
			compileError('{{'),
			compileError('abc', { ...TEXT, maxTemplateBytes: 1 }),
			renderError('{{a}}', {}, STRICT),
			renderError('abc', {}, TEXT, { maxOutputBytes: 1 }),
			renderError('{{formatNumber a}}', { a: 'x' }),
			renderError('{{#each a}}{{/each}}', { a: [1] }, TEXT, { ...LIMITS, maxLoopIterations: 0 }),
		];
		for (const error of errors) {
			expect(error).toBeInstanceOf(TemplateError);
			expect((error as TemplateError).code).toMatch(/^[a-z_]+$/);
			expect((error as TemplateError).description.length).toBeGreaterThan(10);
		}
	});

	describe('compiled output', () => {
		it('compiles eagerly: rendering runs no compiler', () => {
			const pipeline = templateEnvironment as unknown as { JavaScriptCompiler: { prototype: { compile: () => unknown } } };
			const compile = jest.spyOn(pipeline.JavaScriptCompiler.prototype, 'compile');
			try {
				const template = compileTemplate('{{#each items}}{{this}}{{/each}}', TEXT);
				expect(compile).toHaveBeenCalled();
				compile.mockClear();
				expect(template.render({ items: [1, 2] }, LIMITS)).toBe('12');
				expect(compile).not.toHaveBeenCalled();
			} finally {
				compile.mockRestore();
			}
		});

		it('renders whitespace exactly as Handlebars.compile does', () => {
			const sources = [
				'  {{#each items}}\n  - {{this}}\n  {{/each}}\n',
				'{{#if a}}\n  yes\n{{else}}\n  no\n{{/if}}\nend',
				'a {{~b~}} c\n{{~#if a~}} x {{~/if~}}\n',
				'{{! comment }}\n{{a}}\r\n  {{#with o}}\r\n{{k}}\r\n  {{/with}}\r\n',
			];
			const data = { items: [1, 2], a: true, b: 'B', o: { k: 'K' } };
			for (const source of sources) {
				const expected = Handlebars.compile(source, { noEscape: true })(data);
				expect(compileTemplate(source, TEXT).render(data, LIMITS)).toBe(expected);
			}
		});

		it('is deterministic, with a hash that changes with source, format and strict mode', () => {
			const source = '{{b}} {{a}} {{#each c}}{{this}}{{/each}}';
			const first = compileTemplate(source, TEXT);
			const second = compileTemplate(source, TEXT);
			expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
			expect(second.hash).toBe(first.hash);
			expect(second.variables).toEqual(['a', 'b', 'c']);
			expect(second.loops).toEqual(['c']);
			const data = { a: 1, b: 2, c: [3, 4] };
			expect(first.render(data, LIMITS)).toBe('2 1 34');
			expect(second.render(data, LIMITS)).toBe(first.render(data, LIMITS));
			const hashes = new Set([
				first.hash,
				compileTemplate(`${source} `, TEXT).hash,
				compileTemplate(source, { ...TEXT, format: 'html' }).hash,
				compileTemplate(source, { ...TEXT, format: 'markdown' }).hash,
				compileTemplate(source, STRICT).hash,
			]);
			expect(hashes.size).toBe(5);
		});

		it('does not share helpers with the global Handlebars', () => {
			expect(Handlebars.helpers.formatDate).toBeUndefined();
			expect(Handlebars.helpers.lookup).toBeDefined();
			expect(templateEnvironment.helpers.lookup).toBeUndefined();
			expect(templateEnvironment.helpers.log).toBeUndefined();
		});
	});
});
