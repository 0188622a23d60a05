import type { ICredentialTestFunctions } from 'n8n-workflow';
import { resetSharedProcessState } from '../../../lib/state';
import { OptimizedAiCall } from '../../../nodes/OptimizedAiCall/OptimizedAiCall.node';
import { HarnessCredentialsHelper } from '../../helpers/credentialsHelper';
import { startLlmStub, type LlmStub } from '../../helpers/llmStub';
import { HarnessNodeTypes } from '../../helpers/nodeTypes';
import { PACKAGE_NODES, PERF_MONITOR_TYPE } from '../../helpers/packageNodes';
import { startRedisServer, type RedisTestServer } from '../../helpers/redisServer';
import { WorkflowHarness } from '../../helpers/workflowHarness';
import { batchWorkflow, doublingSubWorkflow, values } from '../BatchWorkflowTrigger/batchWorkflow';
import { aiWorkflow, prompts, STUB_KEY } from '../OptimizedAiCall/aiWorkflow';
import { templateWorkflow } from '../TemplatePopulate/templateWorkflow';

const REDIS_PASSWORD_THAT_MUST_NOT_LEAK = 'redis-secret-hunter2';

describe('the Redis state backend, chosen per node', () => {
	let redis: RedisTestServer;
	let stub: LlmStub;
	let prefixes = 0;
	let prefix: string;

	beforeAll(async () => {
		redis = await startRedisServer();
		stub = await startLlmStub({ apiKey: STUB_KEY });
	});

	afterAll(async () => {
		await resetSharedProcessState();
		await stub.close();
		await redis.stop();
	});

	beforeEach(async () => {
		await resetSharedProcessState();
		stub.reset();
		prefix = `nodes${++prefixes}:`;
	});

	/** A harness with a fresh database: what a queue-mode worker sees (no static data carried over). */
	function worker(redisCredential: Record<string, unknown> = {}): WorkflowHarness {
		const credentials = new HarnessCredentialsHelper();
		credentials.set('openai', { provider: 'openAiCompatible', baseUrl: `${stub.url}/v1`, apiKey: STUB_KEY });
		credentials.set('redis', { host: '127.0.0.1', port: redis.port, database: 0, keyPrefix: prefix, ...redisCredential });
		return new WorkflowHarness({ nodeTypes: new HarnessNodeTypes(PACKAGE_NODES), credentialsHelper: credentials });
	}

	const withRedis = <T extends { nodes: Array<{ type: string; parameters: object; credentials?: object }> }>(workflow: T): T => {
		for (const node of workflow.nodes) {
			if (!node.type.startsWith('n8n-nodes-perf-optimizer.')) continue;
			node.parameters = { ...node.parameters, stateBackend: 'redis' };
			node.credentials = { ...node.credentials, perfOptimizerRedisApi: { id: 'redis', name: 'Redis' } };
		}
		return workflow;
	};

	const inMemory = <T>(workflow: T): T => workflow;

	const monitorWorkflow = (backend: typeof withRedis = withRedis) =>
		backend({
			id: 'aiWf1',
			name: 'Report',
			nodes: [
				{ id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
				{ id: 'm', name: 'Monitor', type: PERF_MONITOR_TYPE, typeVersion: 1, position: [200, 0] as [number, number], parameters: { operation: 'getMetrics', window: 5 } },
			],
			connections: { Start: { main: [[{ node: 'Monitor', type: 'main' as const, index: 0 }]] } },
		});

	it('serves a cached answer to another process that has no static data, and reports the backend', async () => {
		const first = await worker().run(withRedis(aiWorkflow({})), { input: prompts('shared question') });
		expect(first.json('Ask')[0]).toMatchObject({ optimization: { cache: 'miss', stateBackend: 'redis' } });
		await resetSharedProcessState();
		const second = await worker().run(withRedis(aiWorkflow({})), { input: prompts('shared question') });
		expect(second.json('Ask')[0]).toMatchObject({ text: 'echo: shared question', optimization: { cache: 'hit', stateBackend: 'redis' } });
		expect(stub.upstreamCalls()).toBe(1);
	});

	it('lets Perf Monitor in a third process see the calls of both', async () => {
		await worker().run(withRedis(aiWorkflow({})), { input: prompts('a', 'b') });
		await resetSharedProcessState();
		await worker().run(withRedis(aiWorkflow({})), { input: prompts('a', 'c') });
		await resetSharedProcessState();
		const report = await worker().run(monitorWorkflow());
		const [summary] = report.json('Monitor') as Array<Record<string, any>>;
		expect(summary.total).toMatchObject({ calls: 4, cache: { hits: 1, misses: 3 } });
		expect(summary.stateBackend).toBe('redis');
	});

	it('counts units of work and their sub-operations as the memory backend does', async () => {
		/** 70 items in batches of 10 (7 batches) and 2 populated items, then Get Metrics (in another process with Redis). */
		const demo = async (redisBackend: boolean) => {
			const backend = redisBackend ? withRedis : inMemory;
			const harness = worker();
			harness.database.add(doublingSubWorkflow());
			const batches = batchWorkflow({ target: 'subWorkflow', workflowId: { __rl: true, mode: 'id', value: 'doubleSub1' }, batchSize: 10 }, { id: 'aiWf1' });
			expect((await harness.run(backend(batches), { input: values(70) })).status).toBe('success');
			await harness.run(backend(templateWorkflow({ template: 'Hi {{first_name}}' }, { id: 'aiWf1' })), { input: [{ firstName: 'Ada' }, { firstName: 'Bob' }] });
			// With Redis another process reads the figures; in memory they live in the process that recorded them.
			if (redisBackend) await resetSharedProcessState();
			const reader = redisBackend ? worker() : harness;
			const [summary] = (await reader.run(monitorWorkflow(backend))).json('Monitor') as Array<Record<string, any>>;
			return {
				total: [summary.total.calls, summary.total.items],
				components: summary.components.map((component: Record<string, any>) => ({
					node: component.node,
					calls: component.calls,
					items: component.items,
					operations: Object.fromEntries(Object.entries(component.operations).map(([name, operation]: [string, any]) => [name, [operation.unitOfWork, operation.calls, operation.items]])),
				})),
			};
		};
		const expected = {
			total: [9, 72],
			components: [
				{ node: 'Send', calls: 7, items: 70, operations: { dispatchSubWorkflow: [true, 7, 70], queueWait: [false, 7, 70] } },
				{ node: 'Fill', calls: 2, items: 2, operations: { populate: [true, 2, 2], map: [false, 2, 2], render: [false, 2, 2] } },
			],
		};
		expect(await demo(false)).toEqual(expected);
		await resetSharedProcessState();
		expect(await demo(true)).toEqual(expected);
	});

	it('keeps answering when Redis is down, reports "degraded", and uses Redis again once it is back', async () => {
		const harness = worker();
		await harness.run(withRedis(aiWorkflow({})), { input: prompts('before') });
		await redis.kill();
		try {
			const during = await harness.run(withRedis(aiWorkflow({})), { input: prompts('during the outage') });
			expect(during.json('Ask')[0]).toMatchObject({ text: 'echo: during the outage', optimization: { cache: 'miss', stateBackend: 'degraded' } });
		} finally {
			await redis.restart();
		}
		const deadline = Date.now() + 15_000;
		let backend = 'degraded';
		while (backend !== 'redis' && Date.now() < deadline) {
			await new Promise((resume) => setTimeout(resume, 250));
			const after = await harness.run(withRedis(aiWorkflow({})), { input: prompts('after') });
			backend = (after.json('Ask')[0].optimization as Record<string, string>).stateBackend;
		}
		expect(backend).toBe('redis');
	});

	it('never shows the Redis password, also when Redis refuses it', async () => {
		const run = await worker({ user: 'nobody', password: REDIS_PASSWORD_THAT_MUST_NOT_LEAK }).run(withRedis(aiWorkflow({})), { input: prompts('secret?') });
		expect(run.json('Ask')[0]).toMatchObject({ text: 'echo: secret?', optimization: { stateBackend: 'degraded' } });
		expect(JSON.stringify(run.json('Ask'))).not.toContain(REDIS_PASSWORD_THAT_MUST_NOT_LEAK);
	});

	it('names the credential when one of its fields is unusable', async () => {
		const run = await worker({ port: 70000 }).run(withRedis(aiWorkflow({})), { input: prompts('bad port') });
		expect(run.nodeError('Ask')).toMatch(/^The Perf Optimizer Redis API credential is not usable: Expected `port` to be an integer from 1 to 65535, got 70000/);
	});

	it('tests the credential with a PING, and names the target without the password when it fails', async () => {
		const test = new OptimizedAiCall().methods.credentialTest.perfOptimizerRedisConnectionTest;
		const context = {} as ICredentialTestFunctions;
		const ok = await test.call(context, { id: 'r', name: 'Redis', type: 'perfOptimizerRedisApi', data: { host: '127.0.0.1', port: redis.port } });
		expect(ok).toEqual({ status: 'OK', message: `Connected to Redis at redis://127.0.0.1:${redis.port}/0` });
		const refused = await test.call(context, {
			id: 'r',
			name: 'Redis',
			type: 'perfOptimizerRedisApi',
			data: { host: '127.0.0.1', port: redis.port, user: 'nobody', password: REDIS_PASSWORD_THAT_MUST_NOT_LEAK },
		});
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(/^Could not reach Redis at redis:\/\/nobody@127\.0\.0\.1:\d+\/0: /);
		expect(refused.message).not.toContain(REDIS_PASSWORD_THAT_MUST_NOT_LEAK);
		const unusable = await test.call(context, { id: 'r', name: 'Redis', type: 'perfOptimizerRedisApi', data: { host: '127.0.0.1', port: 0 } });
		expect(unusable).toEqual({ status: 'Error', message: 'The credential is not usable: Expected `port` to be an integer from 1 to 65535, got 0' });
	});
});
