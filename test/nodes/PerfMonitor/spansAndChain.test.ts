import { resetSharedProcessState } from '../../../lib/state';
import { HarnessCredentialsHelper } from '../../helpers/credentialsHelper';
import { HarnessNodeTypes } from '../../helpers/nodeTypes';
import { AI_CALL_TYPE, PACKAGE_NODES } from '../../helpers/packageNodes';
import { WorkflowHarness, type WorkflowJson } from '../../helpers/workflowHarness';
import { STUB_KEY } from '../OptimizedAiCall/aiWorkflow';
import { useLlmStub } from '../OptimizedAiCall/useStub';
import { monitorHarness, monitorNode } from './monitorWorkflow';

type Json = Record<string, any>;

function chain(names: string[], nodes: WorkflowJson['nodes'], id = 'chainWf1'): WorkflowJson & { id: string } {
	const connections: WorkflowJson['connections'] = {};
	for (let index = 0; index < names.length - 1; index++) {
		connections[names[index]] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
	}
	return { id, name: 'Chain', nodes, connections };
}

const start = { id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

describe('Perf Monitor spans', () => {
	beforeEach(() => resetSharedProcessState());

	it('times the stretch between Span Start and Span End, passing items through unchanged', async () => {
		const workflow = chain(
			['Start', 'Begin', 'Work', 'Finish', 'Report'],
			[
				start,
				monitorNode('Begin', { operation: 'spanStart', spanName: 'checkout' }),
				{ id: 'w', name: 'Work', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} },
				monitorNode('Finish', { operation: 'spanEnd', spanName: 'checkout', addDurationField: true }),
				monitorNode('Report', { operation: 'getMetrics', outputMode: 'perComponent' }),
			],
		);
		const result = await monitorHarness().run(workflow, { input: [{ order: 1 }, { order: 2 }] });
		expect(result.status).toBe('success');
		expect(result.json('Begin')).toEqual([{ order: 1 }, { order: 2 }]);
		expect(result.json('Finish').map((item) => item.order)).toEqual([1, 2]);
		expect(typeof result.json('Finish')[0].spanDurationMs).toBe('number');
		const span = (result.json('Report') as Json[]).find((row) => row.node === 'checkout');
		expect(span).toMatchObject({ component: 'perfMonitor', calls: 1, items: 2 });
	});

	it('says clearly when a Span End has no Span Start', async () => {
		const workflow = chain(['Start', 'Finish'], [start, monitorNode('Finish', { operation: 'spanEnd', spanName: 'nowhere' })], 'chainWf2');
		const result = await monitorHarness().run(workflow);
		expect(result.nodeError('Finish')).toBe('No Span Start named "nowhere" ran earlier in this execution');
	});
});

describe('Perf Monitor with Optimized AI Call', () => {
	const stubHolder = useLlmStub();

	it('reports the calls and the cache of an AI node in the same workflow', async () => {
		const stub = stubHolder.current;
		const credentials = new HarnessCredentialsHelper();
		credentials.set('openai', { provider: 'openAiCompatible', baseUrl: `${stub.url}/v1`, apiKey: STUB_KEY });
		const harness = new WorkflowHarness({ nodeTypes: new HarnessNodeTypes(PACKAGE_NODES), credentialsHelper: credentials });
		const workflow = chain(
			['Start', 'Ask', 'Cache'],
			[
				start,
				{
					id: 'a',
					name: 'Ask',
					type: AI_CALL_TYPE,
					typeVersion: 1,
					position: [0, 0],
					parameters: { model: 'gpt-4o-mini', userPrompt: '={{ $json.prompt }}' },
					credentials: { optimizedAiApi: { id: 'openai', name: 'Stub' } },
				},
				monitorNode('Cache', { operation: 'getCacheStatistics', window: 5 }),
			],
			'chainWf3',
		);
		await harness.run(workflow, { input: [{ prompt: 'a' }, { prompt: 'b' }] });
		const second = await harness.run(workflow, { input: [{ prompt: 'a' }] });
		const [cache] = second.json('Cache') as Json[];
		expect(cache).toMatchObject({
			workflowId: 'chainWf3',
			cache: 'ai:node:Ask',
			entries: 2,
			maxEntries: 1000,
			ttlSeconds: 3600,
			window: { lookups: 3, hits: 1, misses: 2, hitRate: 0.3333 },
		});
		expect(cache.window.costSavedUsd).toBeGreaterThan(0);
		expect(second.items('Cache')[0].pairedItem).toEqual([{ item: 0 }]);
	});
});
