import { startLlmStub, type LlmStub } from '../helpers/llmStub';
import { packPackage, provision, publishWorkflow, startN8n, type N8nInstance } from './n8nInstance';
import { aiExampleWorkflow, monitorWorkflow } from '../../bench/overheadWorkflows';

const STUB_KEY = 'sk-e2e-persist-000111';
type Json = Record<string, any>;

/**
 * A restart of n8n on the same user folder: the answers and counts our nodes saved in static data come back, and
 * Perf Monitor's "All workflows" shows a workflow that has not run since the restart (read through the n8n API).
 */
describe('state across an n8n restart (static data)', () => {
	let n8n: N8nInstance;
	let stub: LlmStub;
	let aiWorkflowId: string;

	beforeAll(async () => {
		const tools = provision();
		const tarball = packPackage();
		stub = await startLlmStub({ apiKey: STUB_KEY, latencyMs: 20 });
		n8n = await startN8n({ ...tools, tarball });
		const credential = await n8n.rest('POST', '/credentials', {
			name: 'Stub LLM',
			type: 'optimizedAiApi',
			data: { provider: 'openAiCompatible', baseUrl: stub.openAiBaseUrl, apiKey: STUB_KEY },
		});
		const apiKey = await n8n.rest('POST', '/api-keys', { label: 'Perf Monitor', scopes: ['workflow:list', 'workflow:read'], expiresAt: null });
		const n8nApi = await n8n.rest('POST', '/credentials', {
			name: 'This n8n',
			type: 'n8nApi',
			data: { apiKey: apiKey.data.rawApiKey, baseUrl: `${n8n.baseUrl}/api/v1` },
		});
		aiWorkflowId = await publishWorkflow(n8n, aiExampleWorkflow('persist-ai', { id: credential.data.id, name: 'Stub LLM' }));
		const monitor = monitorWorkflow('persist-monitor');
		const node = monitor.nodes.find((candidate: Json) => candidate.name === 'Perf Monitor') as Json;
		node.parameters = { ...node.parameters, includeSavedWorkflows: true };
		node.credentials = { n8nApi: { id: n8nApi.data.id, name: 'This n8n' } };
		await publishWorkflow(n8n, monitor);
	}, 300_000);

	afterAll(async () => {
		await n8n?.stop();
		await stub?.close();
	});

	const post = async (path: string, body: unknown): Promise<{ status: number; json: Json }> => {
		const response = await fetch(`${n8n.baseUrl}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		const text = await response.text();
		return { status: response.status, json: text ? JSON.parse(text) : {} };
	};
	const ask = async (prompt: string) => (await post('persist-ai', { prompt })).json.optimization?.cache as string;
	const aiComponent = (metrics: Json) => metrics.components.find((component: Json) => component.workflowId === aiWorkflowId && component.node === 'Optimized AI Call');

	it('keeps the answers and counts of a workflow that has not run since the restart, and Perf Monitor shows them', async () => {
		// One prompt asked six times, four asked once: 5 misses and 5 hits. The last call is a new answer, which is
		// saved at once together with the counts before it.
		const outcomes = [await ask('often')];
		for (let index = 0; index < 5; index++) outcomes.push(await ask('often'));
		for (const prompt of ['one', 'two', 'three', 'four']) outcomes.push(await ask(prompt));
		expect(outcomes).toEqual(['miss', 'hit', 'hit', 'hit', 'hit', 'hit', 'miss', 'miss', 'miss', 'miss']);
		const before = await post('persist-monitor', {});
		expect(aiComponent(before.json)).toMatchObject({ calls: 10 });

		await n8n.restart();
		const deadline = Date.now() + 60_000;
		let after = await post('persist-monitor', {}).catch(() => ({ status: 0, json: {} as Json }));
		while (after.status !== 200 && Date.now() < deadline) {
			await new Promise((wait) => setTimeout(wait, 500));
			after = await post('persist-monitor', {}).catch(() => ({ status: 0, json: {} as Json }));
		}
		expect(after.status).toBe(200);
		// The AI workflow has not run since the restart: its counts come from its saved state, read through the API.
		expect(after.json.workflowsCovered).toMatchObject({ complete: true, unreadable: [] });
		expect(after.json.workflowsCovered.loaded).toBeGreaterThanOrEqual(1);
		expect(aiComponent(after.json)).toMatchObject({ calls: 10 });

		stub.reset();
		expect(await ask('often')).toBe('hit');
		expect(await ask('four')).toBe('hit');
		expect(stub.upstreamCalls()).toBe(0);
		const later = await post('persist-monitor', {});
		expect(aiComponent(later.json)).toMatchObject({ calls: 12 });
	}, 300_000);
});
