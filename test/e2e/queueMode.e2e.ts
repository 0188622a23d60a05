import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLlmStub, type LlmStub } from '../helpers/llmStub';
import { startRedisServer, type RedisTestServer } from '../helpers/redisServer';
import { adaptExample, readExample } from './exampleSet';
import { startPostgres, type PostgresTestServer } from './postgresServer';
import { packPackage, provision, publishWorkflow, startN8n, type N8nInstance } from './n8nInstance';
import { describeOnPinnedN8n } from './versionScope';

const STUB_KEY = 'sk-e2e-queue-key-000222';
const CALLS = 200;
const DISTINCT_PROMPTS = 20;

type Json = Record<string, any>;

/**
 * n8n in queue mode (main + two `n8n worker` processes coordinated through Redis), where workers get no static
 * data: every execution starts from `{}`. The same example workflow runs once with the Redis state backend and
 * once with the default static-data backend, and the suite prints what each kept.
 */
describeOnPinnedN8n(
	'queue mode: main plus two workers of a real n8n 2.40.7',
	'queue mode needs PostgreSQL, Redis and two workers per version, so the matrix measures it on one',
	() => {
		let redis: RedisTestServer;
		let postgres: PostgresTestServer;
		let stub: LlmStub;
		let n8n: N8nInstance;
		let credentials: { ai: { id: string; name: string }; redis: { id: string; name: string } };

		beforeAll(async () => {
			const tools = provision();
			const tarball = packPackage();
			redis = await startRedisServer();
			// Several n8n processes need a real database: on one SQLite file they fail with SQLITE_BUSY under load.
			postgres = await startPostgres();
			stub = await startLlmStub({ apiKey: STUB_KEY, latencyMs: 150 });
			n8n = await startN8n({
				...tools,
				tarball,
				workers: 2,
				env: {
					...postgres.n8nEnv,
					EXECUTIONS_MODE: 'queue',
					QUEUE_BULL_REDIS_HOST: '127.0.0.1',
					QUEUE_BULL_REDIS_PORT: String(redis.port),
					QUEUE_HEALTH_CHECK_ACTIVE: 'false',
					// Workers refuse to start without it; the main process would otherwise make up its own.
					N8N_ENCRYPTION_KEY: 'perf-optimizer-e2e-queue-mode-key',
				},
			});
			const ai = await n8n.rest('POST', '/credentials', { name: 'Stub LLM', type: 'optimizedAiApi', data: { provider: 'openAiCompatible', baseUrl: stub.openAiBaseUrl, apiKey: STUB_KEY } });
			// Database 1 and our own prefix: apart from the Bull queue's keys in database 0, as README advises.
			const state = await n8n.rest('POST', '/credentials', { name: 'Queue Redis', type: 'perfOptimizerRedisApi', data: { host: '127.0.0.1', port: redis.port, database: 1, keyPrefix: 'perfopt:' } });
			credentials = { ai: { id: ai.data.id, name: 'Stub LLM' }, redis: { id: state.data.id, name: 'Queue Redis' } };
		});

		afterAll(async () => {
			await n8n?.stop();
			await stub?.close();
			await redis?.stop();
			await postgres?.stop();
		});

		/** The AI example and a Perf Monitor report, both on one backend, under their own paths. */
		async function publishVariant(backend: 'redis' | 'staticData'): Promise<void> {
			const port = Number(new URL(n8n.baseUrl).port);
			const ai = adaptExample(readExample('ai-call-with-cache.json'), { credential: credentials.ai, port });
			ai.name = `AI call (${backend})`;
			const report = {
				name: `Report (${backend})`,
				nodes: [
					{ parameters: { httpMethod: 'GET', path: `report-${backend}`, responseMode: 'responseNode', options: {} }, id: 'q1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `report-${backend}` },
					{ parameters: { operation: 'getMetrics', scope: 'all', window: 60 }, id: 'q2', name: 'Perf Monitor', type: 'n8n-nodes-perf-optimizer.perfMonitor', typeVersion: 1, position: [220, 0] },
					{ parameters: { respondWith: 'firstIncomingItem', options: {} }, id: 'q3', name: 'Respond', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, position: [440, 0] },
				],
				connections: { Webhook: { main: [[{ node: 'Perf Monitor', type: 'main', index: 0 }]] }, 'Perf Monitor': { main: [[{ node: 'Respond', type: 'main', index: 0 }]] } },
				settings: {},
			};
			for (const workflow of [ai, report]) {
				for (const node of workflow.nodes) {
					if (node.type === 'n8n-nodes-base.webhook' && workflow === ai) {
						node.parameters.path = `ai-call-${backend}`;
						node.webhookId = `ai-call-${backend}`;
					}
					if (!node.type.startsWith('n8n-nodes-perf-optimizer.')) continue;
					node.parameters.stateBackend = backend;
					if (backend === 'redis') node.credentials = { ...node.credentials, perfOptimizerRedisApi: credentials.redis };
				}
				await publishWorkflow(n8n, workflow);
			}
		}

		/** 200 concurrent webhook calls, 20 distinct prompts each asked 10 times; returns what the run kept. */
		async function run(backend: 'redis' | 'staticData'): Promise<{ upstreamCalls: number; monitoredCalls: number; answers: Json[] }> {
			await publishVariant(backend);
			stub.reset();
			const answers = await Promise.all(
				Array.from({ length: CALLS }, async (_, index) => {
					const prompt = `${backend} question ${index % DISTINCT_PROMPTS}`;
					const response = await fetch(`${n8n.baseUrl}/webhook/ai-call-${backend}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt }), signal: AbortSignal.timeout(120_000) });
					return { prompt, status: response.status, ...((await response.json()) as Json) };
				}),
			);
			const report = (await (await fetch(`${n8n.baseUrl}/webhook/report-${backend}`, { signal: AbortSignal.timeout(60_000) })).json()) as Json;
			const aiComponents = (report.components as Json[]).filter((component) => component.component === 'optimizedAiCall');
			const monitoredCalls = aiComponents.reduce((sum, component) => sum + component.calls, 0);
			return { upstreamCalls: stub.upstreamCalls(), monitoredCalls, answers };
		}

		it('with the Redis backend, the provider sees each distinct prompt once and Perf Monitor counts every call', async () => {
			const result = await run('redis');
			const wrong = result.answers.filter((answer) => !(answer.status === 200 && answer.text === `echo: ${answer.prompt}`));
			expect({ wrong: wrong.length, first: wrong[0] }).toEqual({ wrong: 0, first: undefined });
			expect(result.answers.every((answer) => answer.optimization.stateBackend === 'redis')).toBe(true);
			expect(result.upstreamCalls).toBe(DISTINCT_PROMPTS);
			expect(result.monitoredCalls).toBe(CALLS);
			// Both workers took part: the shared state is what made their answers agree.
			for (const worker of [1, 2]) {
				expect(readFileSync(join(n8n.userFolder, `worker-${worker}.log`), 'utf8')).toMatch(/Worker started execution/);
			}
			console.log(`queue mode, Redis backend: ${result.upstreamCalls} provider calls for ${CALLS} requests (${DISTINCT_PROMPTS} distinct prompts); Perf Monitor counted ${result.monitoredCalls} of ${CALLS}`);
		});

		it('with the static-data backend, shows what queue mode loses (reported, not hidden)', async () => {
			const result = await run('staticData');
			const wrong = result.answers.filter((answer) => !(answer.status === 200 && answer.text === `echo: ${answer.prompt}`));
			expect({ wrong: wrong.length, first: wrong[0] }).toEqual({ wrong: 0, first: undefined });
			// Each worker has its own memory and no static data: at least one provider call per prompt, usually more.
			expect(result.upstreamCalls).toBeGreaterThanOrEqual(DISTINCT_PROMPTS);
			expect(result.monitoredCalls).toBeLessThanOrEqual(CALLS);
			console.log(`queue mode, static-data backend: ${result.upstreamCalls} provider calls for ${CALLS} requests (${DISTINCT_PROMPTS} distinct prompts); Perf Monitor counted ${result.monitoredCalls} of ${CALLS}`);
		});
	},
);
