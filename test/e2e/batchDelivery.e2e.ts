import { startLlmStub, type LlmStub } from '../helpers/llmStub';
import { startRedisServer, type RedisTestServer } from '../helpers/redisServer';
import { packPackage, provision, publishWorkflow, startN8n, targetN8nVersion, type N8nInstance } from './n8nInstance';
import { itIf } from './versionScope';

const STUB_KEY = 'sk-e2e-batch-key-000333';
const ITEMS = 200;
const DISTINCT_PROMPTS = 50;

type Json = Record<string, any>;
type Backend = 'staticData' | 'redis';
type Credential = { id: string; name: string };

/**
 * n8n 1.x and early 2.x (measured: 1.123.81 and 2.0.3) cancel, when they stop, every execution whose webhook caller
 * still waits for an answer (Respond to Webhook, or "When Last Node Finishes"), and a cancelled execution's static
 * data is not saved; 2.40 and later let them end.
 */
const [major, minor] = targetN8nVersion().split('.').map(Number);
const CANCELS_WAITING_WEBHOOKS_ON_STOP = major < 2 || (major === 2 && minor < 40);

/** 200 items over 50 prompts, each prompt four times. */
const items = Array.from({ length: ITEMS }, (_, index) => ({ prompt: `Classify ticket ${index % DISTINCT_PROMPTS}` }));

/** Webhook -> one item per record -> Optimized AI Call in Provider Batch delivery -> all items back. */
function batchWorkflow(provider: 'openai' | 'anthropic', backend: Backend, credential: Credential, redis: Credential): { name: string; nodes: Json[]; connections: Json; settings: Json } {
	const path = `batch-${provider}-${backend}`;
	return {
		name: `Provider batch (${provider}, ${backend})`,
		nodes: [
			{ parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} }, id: 'b1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: path },
			{ parameters: { fieldToSplitOut: 'body.items', options: {} }, id: 'b2', name: 'One Item per Ticket', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [220, 0] },
			{
				parameters: {
					model: provider === 'anthropic' ? 'claude-haiku-4-5' : 'gpt-4o-mini',
					userPrompt: '={{ $json.prompt }}',
					delivery: 'providerBatch',
					batchOptions: { pollIntervalSeconds: 0.2 },
					stateBackend: backend,
				},
				id: 'b3',
				name: 'Classify',
				type: 'n8n-nodes-perf-optimizer.optimizedAiCall',
				typeVersion: 1,
				position: [440, 0],
				credentials: backend === 'redis' ? { optimizedAiApi: credential, perfOptimizerRedisApi: redis } : { optimizedAiApi: credential },
			},
			{ parameters: { respondWith: 'allIncomingItems', options: {} }, id: 'b4', name: 'Respond', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, position: [660, 0] },
		],
		connections: {
			Webhook: { main: [[{ node: 'One Item per Ticket', type: 'main', index: 0 }]] },
			'One Item per Ticket': { main: [[{ node: 'Classify', type: 'main', index: 0 }]] },
			Classify: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
		},
		settings: {},
	};
}

/**
 * Provider Batch delivery inside a real n8n, against both batch APIs of the LLM stub (which runs in this process, so
 * it outlives n8n): n8n is stopped while the node waits for its batches, started again on the same user folder, and
 * the same items sent again resume the batches instead of paying for new ones. With static data where n8n saves it
 * for a stopped execution; with Redis (which keeps each batch record at once) on every version.
 */
describe(`Optimized AI Call Provider Batch delivery inside a real n8n ${targetN8nVersion()}`, () => {
	let n8n: N8nInstance;
	let stub: LlmStub;
	let redis: RedisTestServer;
	const providers = ['openai', 'anthropic'] as const;

	beforeAll(async () => {
		const tools = provision();
		const tarball = packPackage();
		stub = await startLlmStub({ apiKey: STUB_KEY });
		redis = await startRedisServer();
		n8n = await startN8n({ ...tools, tarball });
		const state = await n8n.rest('POST', '/credentials', { name: 'Batch Redis', type: 'perfOptimizerRedisApi', data: { host: '127.0.0.1', port: redis.port, database: 2, keyPrefix: 'perfopt:' } });
		for (const provider of providers) {
			const data =
				provider === 'anthropic'
					? { provider: 'anthropic', baseUrl: stub.anthropicBaseUrl, apiKey: STUB_KEY }
					: { provider: 'openAiCompatible', baseUrl: stub.openAiBaseUrl, apiKey: STUB_KEY };
			const credential = await n8n.rest('POST', '/credentials', { name: `Stub ${provider}`, type: 'optimizedAiApi', data });
			for (const backend of ['staticData', 'redis'] as const) {
				await publishWorkflow(n8n, batchWorkflow(provider, backend, { id: credential.data.id, name: `Stub ${provider}` }, { id: state.data.id, name: 'Batch Redis' }));
			}
		}
	});

	afterAll(async () => {
		await n8n?.stop();
		await stub?.close();
		await redis?.stop();
	});

	const post = async (path: string, body: unknown): Promise<{ status: number; json: any }> => {
		const response = await fetch(`${n8n.baseUrl}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		const text = await response.text();
		return { status: response.status, json: text ? JSON.parse(text) : undefined };
	};

	async function resumesAfterRestart(backend: Backend): Promise<void> {
		stub.reset();
		// Batches stay in progress until this test ends them.
		stub.batches.configure({ completionDelayMs: 3_600_000 });
		const firstRuns = providers.map((provider) => post(`batch-${provider}-${backend}`, { items }).catch((error: unknown) => ({ status: 0, json: String(error) })));

		const deadline = Date.now() + 60_000;
		while (stub.batches.stats().batchesCreated < providers.length && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 100));
		expect(stub.batches.stats()).toMatchObject({ batchesCreated: 2, requestsSubmitted: 2 * DISTINCT_PROMPTS });

		// SIGTERM: the waiting node ends its execution (so n8n saves the batch records), and n8n exits.
		const stopStarted = Date.now();
		await n8n.restart();
		const stopped = await Promise.all(firstRuns);
		for (const run of stopped) expect(run.status).not.toBe(200);
		expect(Date.now() - stopStarted).toBeLessThan(120_000);

		stub.batches.finishAll();
		for (const provider of providers) {
			const rerun = await post(`batch-${provider}-${backend}`, { items });
			expect(rerun.status).toBe(200);
			const output = rerun.json as Json[];
			expect(output).toHaveLength(ITEMS);
			expect(output.map((item) => item.text)).toEqual(items.map(({ prompt }) => `echo: ${prompt}`));
			expect(output.every((item) => item.optimization.delivery === 'batch')).toBe(true);
			expect(new Set(output.map((item) => item.optimization.batchId)).size).toBe(1);
			expect(output.filter((item) => item.optimization.cache === 'miss')).toHaveLength(DISTINCT_PROMPTS);
			expect(output.filter((item) => item.optimization.cache === 'miss').every((item) => item.cost.usd > 0 && item.cost.savedUsd > 0)).toBe(true);
		}
		// One batch per provider, created before the restart; not one request sent twice, none sent immediately.
		expect(stub.batches.stats()).toMatchObject({ batchesCreated: 2, requestsSubmitted: 2 * DISTINCT_PROMPTS, batchesCancelled: 0 });
		expect(stub.upstreamCalls()).toBe(0);
	}

	itIf(
		!CANCELS_WAITING_WEBHOOKS_ON_STOP,
		'static data: resumes the batches after n8n is stopped while waiting, so every item gets its answer and nothing is paid twice',
		'n8n before 2.40 cancels a webhook execution whose caller waits when it stops, and drops its static data (README: Which n8n versions)',
		() => resumesAfterRestart('staticData'),
	);

	it('Redis: resumes the batches after n8n is stopped while waiting, on every n8n version', () => resumesAfterRestart('redis'));
});
