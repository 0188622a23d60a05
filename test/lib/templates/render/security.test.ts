import { compileTemplate, TemplateSyntaxError, type TemplateFormat } from '../../../../lib/templates/render';

const LIMITS = { maxOutputBytes: 100_000 };

/** Data as an n8n item carries it, with a nested object, a list, text and a number. */
function itemData(): Record<string, unknown> {
	return { name: 'Ann', obj: { x: 1 }, items: [{ a: 1 }], n: 5 };
}

function render(source: string, data: object = itemData(), format: TemplateFormat = 'text'): string {
	return compileTemplate(source, { format, strict: false, maxTemplateBytes: 100_000 }).render(data, LIMITS);
}

describe('untrusted templates', () => {
	let consoleSpies: jest.SpyInstance[];

	beforeEach(() => {
		consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
			jest.spyOn(console, method).mockImplementation(() => undefined),
		);
	});

	afterEach(() => {
		// Handlebars reports denied prototype access and `log` calls through the console: neither may happen.
		for (const spy of consoleSpies) {
			expect(spy).not.toHaveBeenCalled();
			spy.mockRestore();
		}
	});

	it.each([
		['the Function constructor through a helper call', '{{constructor.constructor "return process"}}'],
		['a scoped call of a prototype method', '{{this.constructor "x"}}'],
		['a nested call of a prototype method', '{{obj.constructor "x"}}'],
		['lookup', '{{lookup this "constructor"}}'],
		['lookup in a subexpression', '{{#each (lookup . "constructor")}}x{{/each}}'],
		['log', '{{log "x"}}'],
		['helperMissing', '{{helperMissing "x"}}'],
		['blockHelperMissing', '{{blockHelperMissing "x"}}'],
		['a dynamic partial', '{{> (lookup . "name")}}'],
		['an inline partial', '{{#*inline "p"}}{{constructor}}{{/inline}}{{> p}}'],
	])('refuses %s at compile time', (_case, source) => {
		expect(() => render(source)).toThrow(TemplateSyntaxError);
	});

	it('refuses the published Handlebars remote-code-execution payload', () => {
		const payload = `{{#with "s" as |string|}}
  {{#with "e"}}
    {{#with split as |conslist|}}
      {{this.pop}}
      {{this.push (lookup string.sub "constructor")}}
      {{this.pop}}
      {{#with string.split as |codelist|}}
        {{this.pop}}
        {{this.push "return process.exit(7);"}}
        {{this.pop}}
        {{#each conslist}}
          {{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}
        {{/each}}
      {{/with}}
    {{/with}}
  {{/with}}
{{/with}}`;
		expect(() => render(payload)).toThrow(TemplateSyntaxError);
	});

	it.each([
		['{{#with this}}{{__proto__}}{{/with}}'],
		['{{__proto__}}{{__proto__.x}}{{obj.__proto__}}{{[__proto__]}}'],
		['{{toString}}{{valueOf}}{{hasOwnProperty}}{{__defineGetter__}}{{__lookupGetter__}}'],
		['{{constructor}}{{constructor.name}}{{obj.constructor.name}}{{items.constructor.name}}{{name.constructor.name}}'],
		['{{obj.[constructor]}}{{@root.constructor}}{{#with obj}}{{constructor.prototype}}{{/with}}'],
		['{{name.toUpperCase}}{{items.map}}{{items.constructor.constructor}}{{n.toFixed}}'],
		['{{#each items}}{{constructor.name}}{{this.toString}}{{/each}}'],
		['{{json constructor}}{{json obj.constructor}}{{json obj.__proto__}}{{upper toString}}'],
		['{{#with constructor}}{{name}}{{prototype}}{{/with}}{{#each constructor}}x{{/each}}'],
		['{{default constructor "-"}}{{default toString "-"}}'],
	])('renders prototype members of data as nothing: %s', (source) => {
		for (const format of ['text', 'html'] as const) {
			const output = render(source, itemData(), format);
			expect(output.replace(/-/g, '')).toBe('');
		}
	});

	it('reads own keys named like prototype members as data, and never pollutes prototypes', () => {
		const data = JSON.parse('{"__proto__": {"polluted": "yes"}, "nested": {"constructor": {"name": "own"}}}') as object;
		expect(render('{{__proto__.polluted}}|{{polluted}}|{{nested.constructor.name}}', data)).toBe('yes||own');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('never reaches the Function constructor through own constructor properties of prototypes', () => {
		expect(render('{{#with items}}{{constructor.constructor}}{{/with}}{{#each items}}{{constructor}}{{/each}}')).toBe('');
	});
});
