import { mkdtempSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSnapshot, resetSharedProcessState, STATE_KEY } from '../../../lib/state';
import { templateHarness, templateWorkflow } from './templateWorkflow';

type Json = Record<string, any>;

describe('Template Populate: populate', () => {
	beforeEach(() => resetSharedProcessState());

	it('renders an inline template with auto-mapped fields, one item per input, with template info', async () => {
		const result = await templateHarness().run(
			templateWorkflow({ template: 'Hi {{first_name}}, you owe {{formatNumber amount 2}} for {{#each lines}}{{@index}}:{{sku}} {{/each}}' }),
			{ input: [{ firstName: 'Ada', amount: 12.5, lines: [{ sku: 'A' }, { sku: 'B' }] }, { 'First Name': 'Bob', amount: 3, lines: [] }] },
		);
		expect(result.status).toBe('success');
		expect(result.json('Fill').map((item) => item.text)).toEqual(['Hi Ada, you owe 12.50 for 0:A 1:B ', 'Hi Bob, you owe 3.00 for ']);
		expect((result.json('Fill')[0] as Json)._template).toMatchObject({ id: null, missing: [], renderMs: expect.any(Number) });
		expect(result.items('Fill').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('applies explicit mapping rules with defaults and transforms', async () => {
		const result = await templateHarness().run(
			templateWorkflow({
				template: '{{name}} | {{city}} | {{due}} | {{vip}}',
				mapping: {
					rules: [
						{ variable: 'name', path: 'customer.name', transform: 'upper' },
						{ variable: 'city', path: 'customer.address[0].city', defaultValue: 'unknown' },
						{ variable: 'due', path: 'dueDate', transform: 'date', format: 'dd.MM.yyyy' },
						{ variable: 'vip', path: 'flags.vip', defaultValue: 'false' },
					],
				},
			}),
			{ input: [{ customer: { name: 'ada', address: [] }, dueDate: '2026-12-01T10:00:00Z', flags: {} }] },
		);
		expect(result.json('Fill')[0].text).toBe('ADA | unknown | 01.12.2026 | false');
	});

	it('names the item, the variable and the template when a field is missing in strict mode', async () => {
		const result = await templateHarness().run(templateWorkflow({ template: 'Dear {{title}} {{last_name}}' }), {
			input: [{ title: 'Dr', lastName: 'Lovelace' }, { title: 'Mr' }],
		});
		expect(result.status).toBe('error');
		expect(result.nodeError('Fill')).toBe("Item 1: the inline template needs 'last_name', which the item does not have");
	});

	it('with continue on fail gives only the bad item an error, and renders missing fields empty when not strict', async () => {
		const harness = templateHarness();
		const failing = await harness.run(templateWorkflow({ template: 'Dear {{name}}' }, { continueOnFail: true }), { input: [{ name: 'A' }, {}, { name: 'C' }] });
		expect(failing.json('Fill').map((item) => item.text ?? item.error)).toEqual([
			'Dear A',
			"Item 1: the inline template needs 'name', which the item does not have",
			'Dear C',
		]);
		const lenient = await harness.run(templateWorkflow({ template: 'Dear {{name}}!', options: { strict: false } }), { input: [{}] });
		expect(lenient.json('Fill')[0]).toMatchObject({ text: 'Dear !', _template: { missing: ['name'] } });
	});

	it('escapes HTML output but not text or Markdown', async () => {
		const harness = templateHarness();
		const input = [{ name: '<b>Ada & Co</b>' }];
		const html = await harness.run(templateWorkflow({ template: '<p>{{name}}</p>', outputFormat: 'html' }), { input });
		expect(html.json('Fill')[0].text).toBe('<p>&lt;b&gt;Ada &amp; Co&lt;/b&gt;</p>');
		const markdown = await harness.run(templateWorkflow({ template: '**{{name}}**', outputFormat: 'markdown' }), { input });
		expect(markdown.json('Fill')[0].text).toBe('**<b>Ada & Co</b>**');
	});

	it('renders templates that arrive as item data without running code or reading prototypes', async () => {
		const harness = templateHarness();
		const malicious = [
			'{{constructor.constructor "return process"}}',
			'{{#with this}}{{__proto__}}{{/with}}',
			'{{lookup this "constructor"}}',
			'{{name.constructor.name}}',
		];
		const result = await harness.run(templateWorkflow({ templateSource: 'field', templateField: 'tpl', options: { strict: false } }, { continueOnFail: true }), {
			input: malicious.map((tpl) => ({ tpl, name: 'x' })),
		});
		for (const item of result.json('Fill')) {
			const shown = JSON.stringify(item);
			expect(shown).not.toMatch(/process|function|Object|\[native code\]/);
		}
		expect(result.json('Fill')).toHaveLength(malicious.length);
	});

	it('refuses mapping paths through the prototype', async () => {
		const result = await templateHarness().run(
			templateWorkflow({ template: '{{x}}', mapping: { rules: [{ variable: 'x', path: 'a.__proto__.polluted' }] } }),
			{ input: [{ a: {} }] },
		);
		expect(result.nodeError('Fill')).toMatch(/__proto__/);
	});

	it('enforces template and output size limits with clear errors', async () => {
		const harness = templateHarness();
		const big = await harness.run(templateWorkflow({ template: `{{a}}${'x'.repeat(3000)}`, options: { maxTemplateKb: 1 } }), { input: [{ a: 1 }] });
		expect(big.nodeError('Fill')).toBe('Item 0: the inline template: The template is 3005 bytes, more than the limit of 1024 bytes');
		const output = await harness.run(templateWorkflow({ template: '{{#each rows}}{{this}}{{/each}}', options: { maxOutputKb: 1 } }), {
			input: [{ rows: Array.from({ length: 500, }, () => 'abcdefghij') }],
		});
		expect(output.nodeError('Fill')).toMatch(/Item 0: the inline template: .*output/i);
	});

	it('reports a syntax error with its position', async () => {
		const result = await templateHarness().run(templateWorkflow({ template: 'Hello {{#if x}}open' }), { input: [{ x: 1 }] });
		expect(result.nodeError('Fill')).toMatch(/Item 0: the inline template: .*line 1/i);
	});

	it('attaches the result as a file when asked', async () => {
		const result = await templateHarness().run(
			templateWorkflow({ template: '<h1>{{title}}</h1>', outputFormat: 'html', options: { asFile: true, fileName: '={{ "page-" + $json.title + ".html" }}' } }),
			{ input: [{ title: 'one' }, { title: 'two' }] },
		);
		const [first, second] = result.items('Fill');
		expect(first.binary?.data).toMatchObject({ fileName: 'page-one.html', mimeType: 'text/html' });
		expect(second.binary?.data).toMatchObject({ fileName: 'page-two.html' });
	});

	it('records render, mapping and cache outcomes in the metrics core', async () => {
		const harness = templateHarness();
		const workflow = templateWorkflow({ template: 'Hi {{name}}' }, { id: 'tplMetrics' });
		harness.database.add(workflow);
		const result = await harness.run(workflow, { input: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] });
		const series = (parseSnapshot((result.savedStaticData?.global as Json)[STATE_KEY]).m as Json).s as Json[];
		const render = series.find((entry) => entry.o === 'render') as Json;
		const totals = Object.values(render.tot)[0] as Json;
		expect(totals.n).toBe(3);
		expect(totals.m).toBe(1);
		expect(totals.h).toBe(2);
		expect(series.some((entry) => entry.o === 'map')).toBe(true);
	});

	it('renders from a folder library by ID, with front-matter, and re-indexes when a file changes', async () => {
		const folder = mkdtempSync(join(tmpdir(), 'templates-'));
		const file = join(folder, 'welcome.md');
		writeFileSync(file, '---\nid: welcome\nname: Welcome mail\ntags: [onboarding]\nrequired: [name]\n---\nWelcome, {{name}}!');
		const harness = templateHarness();
		const workflow = templateWorkflow({ templateSource: 'library', library: 'folder', folderPath: folder, templateId: 'welcome' });
		const first = await harness.run(workflow, { input: [{ name: 'Ada' }] });
		expect(first.json('Fill')[0]).toMatchObject({ text: 'Welcome, Ada!', _template: { id: 'welcome' } });
		writeFileSync(file, '---\nid: welcome\n---\nHello again, {{name}}.');
		utimesSync(file, new Date(), new Date(Date.now() + 5000));
		const second = await harness.run(workflow, { input: [{ name: 'Ada' }] });
		expect(second.json('Fill')[0].text).toBe('Hello again, Ada.');
		const unknown = await harness.run(templateWorkflow({ templateSource: 'library', library: 'folder', folderPath: folder, templateId: 'nope' }), { input: [{}] });
		expect(unknown.nodeError('Fill')).toBe("Item 0: no template with ID or name 'nope' in the folder library");
	});

	it('refuses a folder outside the places n8n lets nodes read', async () => {
		const result = await templateHarness().run(templateWorkflow({ templateSource: 'library', library: 'folder', folderPath: '/etc', templateId: 'passwd' }), {
			input: [{}],
		});
		expect(result.nodeError('Fill')).toBe('Access to the template folder "/etc" is not allowed');
	});
});
