import { compileTemplate, TemplateRenderError, type TemplateFormat } from '../../../../lib/templates/render';

function render(source: string, data: object = {}, format: TemplateFormat = 'text'): string {
	return compileTemplate(source, { format, strict: false, maxTemplateBytes: 10_000 }).render(data, { maxOutputBytes: 10_000 });
}

function renderError(source: string, data: object = {}): TemplateRenderError {
	try {
		render(source, data);
	} catch (error) {
		if (error instanceof TemplateRenderError) return error;
		throw error;
	}
	throw new Error('Expected the render to fail');
}

describe('formatDate', () => {
	it('formats ISO text with yyyy-MM-dd by default and keeps the offset written in the text', () => {
		expect(render('{{formatDate d}}', { d: '2024-03-05T10:00:00Z' })).toBe('2024-03-05');
		expect(render('{{formatDate d "yyyy-MM-dd HH:mm"}}', { d: '2024-03-06T00:30:00+02:00' })).toBe('2024-03-06 00:30');
	});

	it('shows the date in the zone it is given', () => {
		const d = '2024-03-05T10:00:00Z';
		expect(render('{{formatDate d "yyyy-MM-dd HH:mm" "America/New_York"}}', { d })).toBe('2024-03-05 05:00');
		expect(render('{{formatDate d "HH:mm ZZ" "Europe/Berlin"}}', { d: '2024-07-01T12:00:00' })).toBe('12:00 +02:00');
	});

	it('takes epoch milliseconds, Dates and SQL-style text, all in UTC without a zone', () => {
		expect(render('{{formatDate d "yyyy-MM-dd HH:mm"}}', { d: 0 })).toBe('1970-01-01 00:00');
		expect(render('{{formatDate d}}', { d: new Date(Date.UTC(2024, 0, 2, 23, 0)) })).toBe('2024-01-02');
		expect(render('{{formatDate d "dd.MM.yyyy HH:mm"}}', { d: '2024-03-05 10:15:00' })).toBe('05.03.2024 10:15');
	});

	it('names months in English whatever the server locale', () => {
		expect(render('{{formatDate d "d MMMM yyyy"}}', { d: '2024-03-05' })).toBe('5 March 2024');
	});

	it('renders a missing value as empty text', () => {
		expect(render('[{{formatDate d}}]', {})).toBe('[]');
		expect(render('[{{formatDate d}}]', { d: null })).toBe('[]');
	});

	it('throws a render error naming the helper and position for text that is not a date', () => {
		const error = renderError('x {{formatDate d}}', { d: 'next tuesday' });
		expect(error.helper).toBe('formatDate');
		expect(error.message).toContain('formatDate');
		expect(error.message).toContain('"next tuesday"');
		expect(error).toMatchObject({ code: 'render_failed', line: 1, column: 3 });
	});

	it('refuses an unknown zone, a format that is not text, and structures', () => {
		expect(renderError('{{formatDate d "yyyy" "Mars/Olympus"}}', { d: '2024-01-01' }).message).toContain('time zone');
		expect(renderError('{{formatDate d 5}}', { d: '2024-01-01' }).message).toContain('format');
		expect(renderError('{{formatDate d}}', { d: { year: 2024 } }).message).toContain('an object');
	});
});

describe('formatNumber', () => {
	it('groups digits for en-US by default', () => {
		expect(render('{{formatNumber n}}', { n: 1234567.891 })).toBe('1,234,567.891');
	});

	it('rounds to fixed decimals and uses the locale given', () => {
		expect(render('{{formatNumber n 2}}', { n: 1234.5 })).toBe('1,234.50');
		expect(render('{{formatNumber n 2 "de-DE"}}', { n: 1234.5 })).toBe('1.234,50');
		expect(render('{{formatNumber n 0}}', { n: 2.5 })).toBe('3');
	});

	it('reads numeric text and renders a missing value as empty text', () => {
		expect(render('{{formatNumber n 1}}', { n: ' 42 ' })).toBe('42.0');
		expect(render('{{formatNumber n}}', { n: '-1.5e3' })).toBe('-1,500');
		expect(render('[{{formatNumber n}}]', {})).toBe('[]');
	});

	it('throws a render error naming the helper for values, decimals and locales it cannot use', () => {
		expect(renderError('{{formatNumber n}}', { n: 'abc' })).toMatchObject({ helper: 'formatNumber' });
		expect(renderError('{{formatNumber n}}', { n: '' }).message).toContain('number');
		expect(renderError('{{formatNumber n}}', { n: '0x10' }).message).toContain('"0x10"');
		expect(renderError('{{formatNumber n}}', { n: Number.POSITIVE_INFINITY }).message).toContain('Infinity');
		expect(renderError('{{formatNumber n -1}}', { n: 1 }).message).toContain('decimals');
		expect(renderError('{{formatNumber n 1.5}}', { n: 1 }).message).toContain('decimals');
		expect(renderError('{{formatNumber n 2 "not a locale!"}}', { n: 1 }).message).toContain('locale');
	});
});

describe('upper, lower, json, default, eq', () => {
	it('changes case of text, numbers and booleans, and renders missing values as empty text', () => {
		expect(render('{{upper a}} {{lower b}} {{upper c}} [{{upper missing}}]', { a: 'straße', b: 'ÀB', c: true })).toBe(
			'STRASSE àb TRUE []',
		);
	});

	it('refuses to change the case of a structure', () => {
		expect(renderError('{{upper a}}', { a: { x: 1 } })).toMatchObject({ helper: 'upper' });
	});

	it('writes JSON, and nothing for a missing value', () => {
		expect(render('{{json a}}|{{json b}}|{{json c}}', { a: { x: [1, 'two'] }, b: null })).toBe('{"x":[1,"two"]}|null|');
	});

	it('reports a structure JSON cannot write', () => {
		const circular: Record<string, unknown> = {};
		circular.self = circular;
		expect(renderError('{{json a}}', { a: circular })).toMatchObject({ helper: 'json' });
	});

	it('falls back for missing, null and empty values but keeps 0 and false', () => {
		const data = { empty: '', nothing: null, zero: 0, no: false, name: 'Ann' };
		const source =
			'{{default missing "m"}} {{default empty "e"}} {{default nothing "n"}} {{default zero "z"}} {{default no "f"}} ' +
			'{{default name "x"}}';
		expect(render(source, data)).toBe('m e n 0 false Ann');
	});

	it('compares strictly, as a subexpression of #if', () => {
		const template = '{{#if (eq status "paid")}}paid{{else}}open{{/if}} {{eq one "1"}}';
		expect(render(template, { status: 'paid', one: 1 })).toBe('paid false');
		expect(render(template, { status: 'due', one: 1 })).toBe('open false');
	});
});

describe('built-in block helpers', () => {
	it('iterates lists with @index, @first and @last, and objects with @key', () => {
		const data = { items: ['a', 'b', 'c'], prices: { tea: 2, cake: 3 } };
		const source = '{{#each items}}{{@index}}{{this}}{{#if @first}}^{{/if}}{{#if @last}}${{/if}} {{/each}}';
		expect(render(source, data)).toBe('0a^ 1b 2c$ ');
		expect(render('{{#each prices}}{{@key}}={{this}};{{/each}}', data)).toBe('tea=2;cake=3;');
	});

	it('supports block params, {{else}} of an empty list, #with and #unless', () => {
		const data = { rows: [{ n: 1 }, { n: 2 }], none: [], person: { name: 'Ann' } };
		expect(render('{{#each rows as |row i|}}{{i}}:{{row.n}} {{/each}}', data)).toBe('0:1 1:2 ');
		expect(render('{{#each none}}x{{else}}empty{{/each}}', data)).toBe('empty');
		expect(render('{{#with person}}{{name}}{{/with}} {{#unless none.length}}no rows{{/unless}}', data)).toBe('Ann no rows');
	});
});
