import { resetSharedProcessState } from '../../../lib/state';
import { templateHarness, templateWorkflow } from './templateWorkflow';

type Json = Record<string, any>;

describe('Template Populate: workflow library', () => {
	beforeEach(() => resetSharedProcessState());

	it('saves, lists, finds, populates from and deletes templates kept in workflow state, across a restart', async () => {
		const harness = templateHarness();
		const id = 'libraryWf1';
		const save = templateWorkflow(
			{
				operation: 'saveTemplate',
				saveId: '={{ $json.id }}',
				saveName: '={{ $json.name }}',
				saveDescription: '={{ $json.description }}',
				saveTags: '={{ $json.tags }}',
				saveBody: '={{ $json.body }}',
			},
			{ id },
		);
		harness.database.add(save);
		const saved = await harness.run(save, {
			input: [
				{ id: 'invoice-reminder', name: 'Invoice reminder', description: 'Polite payment reminder', tags: 'billing, email', body: 'Dear {{name}}, invoice {{number}} is due.' },
				{ id: 'welcome', name: 'Welcome', description: 'First mail after sign-up', tags: 'onboarding', body: 'Welcome {{name}}!' },
			],
		});
		expect(saved.json('Fill').map((item) => [item.id, item.saved])).toEqual([
			['invoice-reminder', true],
			['welcome', true],
		]);

		resetSharedProcessState(); // the library lives on in static data
		const list = await harness.run(templateWorkflow({ operation: 'listTemplates' }, { id }));
		expect(list.json('Fill').map((item) => item.id)).toEqual(['invoice-reminder', 'welcome']);

		const search = await harness.run(templateWorkflow({ operation: 'findTemplate', findBy: 'search', query: 'invoise remind' }, { id }));
		expect((search.json('Fill')[0] as Json).id).toBe('invoice-reminder');
		const byTag = await harness.run(templateWorkflow({ operation: 'findTemplate', findBy: 'tags', tags: 'onboarding' }, { id }));
		expect(byTag.json('Fill').map((item) => item.id)).toEqual(['welcome']);

		const populate = await harness.run(templateWorkflow({ templateSource: 'library', templateId: 'Invoice reminder' }, { id }), {
			input: [{ name: 'Ada', number: 'INV-7' }],
		});
		expect(populate.json('Fill')[0]).toMatchObject({ text: 'Dear Ada, invoice INV-7 is due.', _template: { id: 'invoice-reminder' } });

		const removed = await harness.run(templateWorkflow({ operation: 'deleteTemplate', templateId: 'welcome' }, { id }));
		expect(removed.json('Fill')).toEqual([{ id: 'welcome', deleted: true }]);
		const after = await harness.run(templateWorkflow({ operation: 'listTemplates' }, { id }));
		expect(after.json('Fill').map((item) => item.id)).toEqual(['invoice-reminder']);
	});

	it('refuses to save a template that does not compile, naming the item and template', async () => {
		const result = await templateHarness().run(templateWorkflow({ operation: 'saveTemplate', saveId: 'broken', saveBody: 'Hi {{#if x}}' }));
		expect(result.nodeError('Fill')).toMatch(/^Item 0: the 'Template' of 'broken' cannot be rendered: Template syntax error/);
	});

	it('refuses an invalid template ID', async () => {
		const result = await templateHarness().run(templateWorkflow({ operation: 'saveTemplate', saveId: 'bad id!', saveBody: 'x' }));
		expect(result.nodeError('Fill')).toMatch(/^Item 0: .*id/i);
	});

	const saveFromItem = {
		operation: 'saveTemplate',
		saveId: '={{ $json.id }}',
		saveName: '={{ $json.name }}',
		saveTags: '={{ $json.tags }}',
		saveBody: '={{ $json.body }}',
	};

	it('stores nothing through String() of a wrong value: each bad field is an error naming the item and its label', async () => {
		const harness = templateHarness();
		const id = 'typedSaveWf';
		const result = await harness.run(templateWorkflow(saveFromItem, { id, continueOnFail: true }), {
			input: [
				{ body: 'Hi {{name}}' },
				{ id: 'no-body' },
				{ id: 'object-body', body: { text: 'Hi' } },
				{ id: 42, body: 'Hi' },
				{ id: 'blank', body: '   ' },
				{ id: 'bad-name', name: ['x'], body: 'Hi' },
				{ id: 'bad-tags', tags: { a: 1 }, body: 'Hi' },
				{ id: 'bad id!', body: 'Hi' },
				{ id: 'fine', body: 'Hi {{name}}' },
			],
		});
		expect(result.json('Fill').map((item) => item.error ?? item.id)).toEqual([
			"Item 0: 'Template ID' is empty",
			"Item 1: 'Template' is empty",
			"Item 2: 'Template' must be text, got an object",
			"Item 3: 'Template ID' must be text, got 42",
			"Item 4: 'Template' is empty",
			"Item 5: 'Name' must be text, got an array",
			"Item 6: 'Tags' must be a comma-separated text or a list of text, got an object",
			expect.stringMatching(/^Item 7: 'Template ID' is invalid: Expected `id` to use only letters/),
			'fine',
		]);
		expect(result.json('Fill').map((item) => item.errorClass ?? 'ok')).toEqual([...Array(8).fill('validation'), 'ok']);
		expect(result.items('Fill').map((item) => item.pairedItem)).toEqual(Array.from({ length: 9 }, (_, item) => ({ item })));
		const list = await harness.run(templateWorkflow({ operation: 'listTemplates' }, { id }));
		expect(list.json('Fill').map((item) => item.id)).toEqual(['fine']);
	});

	it('refuses to save a template that populate would refuse for every item, and populate agrees', async () => {
		const harness = templateHarness();
		for (const body of ['{{constructor.constructor}}', '{{prototype}}', '{{#each rows}}{{../__proto__}}{{/each}}']) {
			const saved = await harness.run(templateWorkflow({ operation: 'saveTemplate', saveId: 'unsafe', saveBody: body }));
			expect(saved.nodeError('Fill')).toMatch(/^Item 0: the 'Template' of 'unsafe' cannot be rendered: .*__proto__, constructor and prototype/);
			const populated = await harness.run(templateWorkflow({ template: body }), { input: [{ constructor: { constructor: 'x' }, prototype: 'p', rows: [1] }] });
			expect(populated.nodeError('Fill')).toMatch(/__proto__, constructor and prototype/);
		}
		const list = await harness.run(templateWorkflow({ operation: 'listTemplates' }));
		expect(list.json('Fill')).toEqual([]);
	});

	it('refuses a name that several templates share, listing their IDs, and still finds each by ID', async () => {
		const harness = templateHarness();
		const id = 'ambiguousWf';
		await harness.run(templateWorkflow(saveFromItem, { id }), {
			input: [
				{ id: 'welcome-de', name: 'Welcome', body: 'Willkommen {{name}}' },
				{ id: 'welcome-en', name: 'WELCOME ', body: 'Welcome {{name}}' },
				{ id: 'goodbye', name: 'Goodbye', body: 'Bye {{name}}' },
			],
		});
		const ambiguous = await harness.run(templateWorkflow({ templateSource: 'library', templateId: 'welcome' }, { id }), { input: [{ name: 'Ada' }] });
		expect(ambiguous.nodeError('Fill')).toBe("Item 0: the name 'welcome' matches 2 templates in the workflow library: 'welcome-de', 'welcome-en'");
		const byId = await harness.run(templateWorkflow({ templateSource: 'library', templateId: 'welcome-en' }, { id }), { input: [{ name: 'Ada' }] });
		expect(byId.json('Fill')[0].text).toBe('Welcome Ada');
		const unique = await harness.run(templateWorkflow({ templateSource: 'library', templateId: 'goodbye' }, { id }), { input: [{ name: 'Ada' }] });
		expect(unique.json('Fill')[0].text).toBe('Bye Ada');
	});

	it('refuses a save past the library budget, saying what is used and what the limit is', async () => {
		const harness = templateHarness();
		const id = 'fullLibraryWf';
		const result = await harness.run(templateWorkflow(saveFromItem, { id, continueOnFail: true }), {
			input: [
				{ id: 'first', body: 'a'.repeat(16 * 1024) },
				{ id: 'second', body: 'b'.repeat(16 * 1024) },
				{ id: 'small', body: 'c'.repeat(1024) },
			],
		});
		const [first, second, small] = result.json('Fill');
		expect(first).toMatchObject({ saved: true, id: 'first' });
		expect(second.error).toMatch(/^Item 1: Template "second" takes 16\d{3} bytes, but the workflow's template library already uses 16\d{3} of its 24576 bytes \(\d+ free\)$/);
		expect(second.errorDescription).toMatch(/template folder/);
		expect(small).toMatchObject({ saved: true, id: 'small' });
	});
});
