/**
 * Analyze Executions inside a real n8n 2.40.7: a published workflow with a 300 ms Wait among fast nodes and a
 * Code node that fails one run in five is run 50 times through its webhook; Perf Monitor then reads the saved
 * executions through n8n's public API (an API key created through the REST API, in n8n's own n8n API
 * credential), ranks the Wait first with a p95 near 300 ms and reports the Code node's 20% errors; a second run
 * reads only the executions saved since. The shipped example is published and answers too.
 */
import { adaptExample, createN8nApiCredential, readExample } from './exampleSet';
import { packPackage, provision, publishWorkflow, startN8n, targetN8nVersion, type N8nInstance } from './n8nInstance';

type Json = Record<string, any>;

const RUNS = 50;
const MORE_RUNS = 10;

/** Webhook -> Prepare (Set) -> Slow (Wait 300 ms) -> Flaky (Code, fails when n % 5 === 0) -> Tidy (Set) -> response. */
function targetWorkflow(): Json {
	const node = (name: string, type: string, typeVersion: number, parameters: Json, x: number, extra: Json = {}) => ({ id: name, name, type, typeVersion, position: [x, 0], parameters, ...extra });
	const nodes = [
		node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: 'e2e-analyze-target', responseMode: 'lastNode', options: {} }, 0, { webhookId: '6f1e2d3c-0000-4000-8000-00000000e2e1' }),
		node('Prepare', 'n8n-nodes-base.set', 3.4, { assignments: { assignments: [{ id: 'n', name: 'n', value: '={{ $json.body.n }}', type: 'number' }] }, options: {} }, 200),
		node('Slow', 'n8n-nodes-base.wait', 1.1, { resume: 'timeInterval', amount: 0.3, unit: 'seconds' }, 400, { webhookId: '6f1e2d3c-0000-4000-8000-00000000e2e2' }),
		node('Flaky', 'n8n-nodes-base.code', 2, { jsCode: "if ($input.first().json.n % 5 === 0) throw new Error('Flaky failure');\nreturn $input.all();" }, 600),
		node('Tidy', 'n8n-nodes-base.set', 3.4, { assignments: { assignments: [{ id: 'd', name: 'done', value: true, type: 'boolean' }] }, options: {} }, 800),
	];
	const connections: Json = {};
	for (let index = 0; index < nodes.length - 1; index++) connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	return { name: 'E2E Slow and Flaky', nodes, connections, settings: { executionOrder: 'v1' } };
}

/** GET /webhook/e2e-analyze -> Analyze Executions (the target) -> Get Bottlenecks -> both as JSON. */
function analyzerWorkflow(targetId: string, credential: { id: string; name: string }): Json {
	const monitor = 'n8n-nodes-perf-optimizer.perfMonitor';
	return {
		name: 'E2E Analyzer',
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'w', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: '6f1e2d3c-0000-4000-8000-00000000e2e3', parameters: { httpMethod: 'GET', path: 'e2e-analyze', responseMode: 'responseNode', options: {} } },
			{
				id: 'a',
				name: 'Analyze',
				type: monitor,
				typeVersion: 1,
				position: [200, 0],
				parameters: { operation: 'analyzeExecutions', workflowsToRead: 'chosen', workflowIds: targetId, lookBackHours: 1, pageSize: 20 },
				credentials: { n8nApi: credential },
				onError: 'continueRegularOutput',
			},
			{ id: 'b', name: 'Bottlenecks', type: monitor, typeVersion: 1, position: [400, 0], parameters: { operation: 'getBottlenecks', scope: 'workflow', window: 60, listOutput: 'oneItem' } },
			{
				id: 'r',
				name: 'Respond',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [600, 0],
				parameters: { respondWith: 'json', responseBody: "={{ { analysis: $('Analyze').first().json, bottlenecks: $json.bottlenecks } }}", options: {} },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Analyze', type: 'main', index: 0 }]] },
			Analyze: { main: [[{ node: 'Bottlenecks', type: 'main', index: 0 }]] },
			Bottlenecks: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
		},
	};
}

describe(`Analyze Executions in a real n8n ${targetN8nVersion()}`, () => {
	let n8n: N8nInstance;
	let api: { apiKey: string; apiBaseUrl: string; id: string; name: string };
	let targetId: string;

	beforeAll(async () => {
		const tools = provision();
		n8n = await startN8n({ ...tools, tarball: packPackage() });
		api = await createN8nApiCredential(n8n);
		targetId = await publishWorkflow(n8n, targetWorkflow() as never);
		await publishWorkflow(n8n, analyzerWorkflow(targetId, { id: api.id, name: api.name }) as never);
	});

	afterAll(async () => await n8n?.stop());

	const runTarget = async (from: number, count: number) => {
		// Five at a time: the runs overlap as production traffic does, and 50 runs of 300 ms take a few seconds.
		for (let start = from; start < from + count; start += 5) {
			await Promise.all(
				Array.from({ length: Math.min(5, from + count - start) }, async (_, offset) => {
					const response = await fetch(`${n8n.baseUrl}/webhook/e2e-analyze-target`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: start + offset }) });
					await response.text();
				}),
			);
		}
	};

	/** Waits until n8n has saved `count` finished executions of the target (saving follows the response). */
	const savedExecutions = async (count: number) => {
		const deadline = Date.now() + 60_000;
		let seen = 0;
		while (Date.now() < deadline) {
			const response = await fetch(`${api.apiBaseUrl}/executions?workflowId=${targetId}&limit=250`, { headers: { 'X-N8N-API-KEY': api.apiKey } });
			const body = (await response.json()) as Json;
			seen = body.data.filter((execution: Json) => execution.status === 'success' || execution.status === 'error').length;
			if (seen >= count) return;
			await new Promise((wait) => setTimeout(wait, 250));
		}
		throw new Error(`n8n saved ${seen} executions of the target, expected ${count}`);
	};

	/** The exact p95 (nearest rank) of a node's saved execution times over the target's executions, read from n8n's API. */
	const exactP95 = async (nodeName: string): Promise<number> => {
		const response = await fetch(`${api.apiBaseUrl}/executions?workflowId=${targetId}&limit=250&includeData=true`, { headers: { 'X-N8N-API-KEY': api.apiKey } });
		const body = (await response.json()) as Json;
		const times = (body.data as Json[])
			.flatMap((execution) => ((execution.data?.resultData?.runData?.[nodeName] ?? []) as Json[]).map((task) => Number(task.executionTime)))
			.sort((a, b) => a - b);
		return times[Math.floor(0.95 * (times.length - 1))];
	};

	const analyze = async (): Promise<Json> => {
		const started = Date.now();
		const response = await fetch(`${n8n.baseUrl}/webhook/e2e-analyze`);
		const text = await response.text();
		expect({ status: response.status, text: response.status === 200 ? '' : text }).toEqual({ status: 200, text: '' });
		return { ...(JSON.parse(text) as Json), requestMs: Date.now() - started };
	};

	it('ranks the slow node first with a p95 near its delay and reports the failing node, then reads only new executions', async () => {
		await runTarget(0, RUNS);
		await savedExecutions(RUNS);
		const first = await analyze();
		expect(first.analysis.error).toBeUndefined();
		expect(first.analysis.executionsRead).toBe(RUNS);
		const [target] = first.analysis.workflows;
		expect(target).toMatchObject({ workflowId: targetId, workflowName: 'E2E Slow and Flaky', runs: RUNS, succeeded: 40, successRate: 0.8 });
		const slow = target.nodes[0];
		expect(slow).toMatchObject({ node: 'Slow', nodeType: 'n8n-nodes-base.wait', runs: RUNS });
		// Near the delay, and within 2% of the exact p95 of what n8n saved (a loaded machine stretches the Wait itself).
		const exact = await exactP95('Slow');
		expect(exact).toBeGreaterThanOrEqual(295);
		expect(slow.durationMs.p95).toBeGreaterThanOrEqual(295);
		expect(Math.abs(slow.durationMs.p95 - exact) / exact).toBeLessThanOrEqual(0.02);
		expect(slow.slowestRuns[0].url).toMatch(new RegExp(`^${n8n.baseUrl}/workflow/${targetId}/executions/\\d+$`));
		const flaky = target.nodes.find((node: Json) => node.node === 'Flaky');
		expect(flaky).toMatchObject({ nodeType: 'n8n-nodes-base.code', runs: RUNS, errors: 10, errorRate: 0.2 });
		expect(target.nodes.find((node: Json) => node.node === 'Tidy')).toMatchObject({ runs: 40 });
		// The readings are Perf Monitor metrics like any other: Get Bottlenecks ranks the Wait first.
		expect(first.bottlenecks[0]).toMatchObject({ nodeName: 'E2E Slow and Flaky / Slow', nodeType: 'n8n-nodes-base.wait', calls: RUNS });
		expect(first.bottlenecks.find((row: Json) => row.nodeName === 'E2E Slow and Flaky / Flaky')).toMatchObject({ errorRate: 0.2 });

		const flakyBottleneck = first.bottlenecks.find((row: Json) => row.nodeName === 'E2E Slow and Flaky / Flaky');
		console.log(
			`Analyze Executions in n8n: ${RUNS} executions read in ${first.requestMs} ms; Slow (Wait 300 ms) first with ${slow.shareOfTimePct}% of the time, p50 ${slow.durationMs.p50} ms, p95 ${slow.durationMs.p95} ms (exact ${exact} ms); Flaky error rate ${flaky.errorRate}; bottleneck suggestions for Flaky: ${flakyBottleneck?.suggestions.length ?? 0}`,
		);

		await runTarget(RUNS, MORE_RUNS);
		await savedExecutions(RUNS + MORE_RUNS);
		const second = await analyze();
		expect(second.analysis.executionsRead).toBe(MORE_RUNS);
		expect(second.analysis.workflows[0]).toMatchObject({ runs: MORE_RUNS, succeeded: 8 });
		expect(second.bottlenecks[0]).toMatchObject({ nodeName: 'E2E Slow and Flaky / Slow', calls: RUNS + MORE_RUNS });
		console.log(`Analyze Executions in n8n, second run: ${second.analysis.executionsRead} new executions read in ${second.requestMs} ms`);
	});

	it('publishes the example and answers its webhook with the slowest nodes of every workflow', async () => {
		const port = Number(new URL(n8n.baseUrl).port);
		const example = adaptExample(readExample('analyze-executions.json'), { credential: { id: '', name: '' }, port, n8nApi: { id: api.id, name: api.name } });
		await publishWorkflow(n8n, example);
		const response = await fetch(`${n8n.baseUrl}/webhook/analyze-executions?minutes=60`);
		const body = (await response.json()) as Json;
		expect(response.status).toBe(200);
		const target = body.analysis.workflows.find((workflow: Json) => workflow.workflowId === targetId);
		expect(target).toMatchObject({ runs: RUNS + MORE_RUNS });
		expect(target.nodes[0].node).toBe('Slow');
		expect(body.bottlenecks[0].nodeName).toBe('E2E Slow and Flaky / Slow');
	});

	it('answers a refused API key with a clear error', async () => {
		const wrong = await n8n.rest('POST', '/credentials', { name: 'Wrong key', type: 'n8nApi', data: { apiKey: 'not-a-real-key-123456', baseUrl: api.apiBaseUrl } });
		const workflow = analyzerWorkflow(targetId, { id: wrong.data.id, name: 'Wrong key' });
		workflow.name = 'E2E Analyzer, wrong key';
		workflow.nodes[0].parameters.path = 'e2e-analyze-wrong-key';
		workflow.nodes[0].webhookId = '6f1e2d3c-0000-4000-8000-00000000e2e4';
		await publishWorkflow(n8n, workflow as never);
		const response = await fetch(`${n8n.baseUrl}/webhook/e2e-analyze-wrong-key`);
		const body = (await response.json()) as Json;
		expect(body.analysis).toMatchObject({ errorClass: 'auth', httpCode: '401' });
		expect(body.analysis.error).toMatch(/HTTP 401/);
		expect(JSON.stringify(body)).not.toContain('not-a-real-key-123456');
	});
});
