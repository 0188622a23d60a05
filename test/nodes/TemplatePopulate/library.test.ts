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
		expect(result.nodeError('Fill')).toMatch(/^Item 0: template 'broken' does not compile/);
	});

	it('refuses an invalid template ID', async () => {
		const result = await templateHarness().run(templateWorkflow({ operation: 'saveTemplate', saveId: 'bad id!', saveBody: 'x' }));
		expect(result.nodeError('Fill')).toMatch(/^Item 0: .*id/i);
	});
});
