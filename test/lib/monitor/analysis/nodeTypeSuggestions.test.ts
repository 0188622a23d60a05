import { findBottlenecks } from '../../../../lib/monitor/analysis/bottlenecks';
import { component, times } from './fixtures';

/** A component of one of n8n's node types, as Analyze Executions records it. */
const n8nNode = (nodeType: string, nodeName: string, ...groups: Parameters<typeof component>[1][]) => ({ ...component(nodeName, ...groups), nodeType });

const suggestionsOf = (components: ReturnType<typeof n8nNode>[], name: string) =>
	findBottlenecks(components, [], 60).find((bottleneck) => bottleneck.nodeName === name)!.suggestions.join(' | ');

describe("bottleneck suggestions for n8n's own node types", () => {
	const filler = n8nNode('n8n-nodes-base.set', 'Set', times(10, { durationMs: 100 })); // 1 000 ms

	it('suggests batching for an HTTP Request sending one request per item', () => {
		const http = n8nNode('n8n-nodes-base.httpRequest', 'Fetch', times(10, { durationMs: 300, items: 25 }));
		expect(suggestionsOf([http, filler], 'Fetch')).toMatch(/one request per item \(25 items per run.*Batching option.*Batch Workflow Trigger/);
		// One item per run is no per-item pattern.
		const single = n8nNode('n8n-nodes-base.httpRequest', 'Fetch', times(10, { durationMs: 300, items: 1 }));
		expect(suggestionsOf([single, filler], 'Fetch')).not.toMatch(/Batching/);
	});

	it('suggests Batch Workflow Trigger for Execute Workflow over many items', () => {
		const sub = n8nNode('n8n-nodes-base.executeWorkflow', 'Per order', times(5, { durationMs: 2000, items: 40 }));
		expect(suggestionsOf([sub, filler], 'Per order')).toMatch(/sub-workflows for 40 items per run.*Batch Workflow Trigger/);
	});

	it('suggests the optimized AI nodes for a chat model taking much of the time', () => {
		const model = n8nNode('@n8n/n8n-nodes-langchain.lmChatOpenAi', 'OpenAI Chat Model', times(5, { durationMs: 1500 }));
		expect(suggestionsOf([model, filler], 'OpenAI Chat Model')).toMatch(/model call takes 88.2% .*Optimized Chat Model .*Optimized AI Call/);
		const small = n8nNode('@n8n/n8n-nodes-langchain.lmChatOpenAi', 'OpenAI Chat Model', times(1, { durationMs: 100 }));
		expect(suggestionsOf([small, filler], 'OpenAI Chat Model')).toBe('');
	});

	it('says where a slow Code node spends its time, by share or by p95', () => {
		const code = n8nNode('n8n-nodes-base.code', 'Transform', times(2, { durationMs: 1200 }));
		expect(suggestionsOf([code, n8nNode('n8n-nodes-base.set', 'Set', times(100, { durationMs: 100 }))], 'Transform')).toMatch(/Code node takes 19.4% .*p95 .*Span Start/);
		const fast = n8nNode('n8n-nodes-base.code', 'Transform', times(2, { durationMs: 5 }));
		expect(suggestionsOf([fast, filler], 'Transform')).toBe('');
	});
});
