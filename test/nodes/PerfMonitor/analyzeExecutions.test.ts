import { resetSharedProcessState } from '../../../lib/state';
import { HarnessCredentialsHelper } from '../../helpers/credentialsHelper';
import { ExecutionsApiStub, type StubNodeRun } from '../../helpers/executionsApiStub';
import { HarnessNodeTypes } from '../../helpers/nodeTypes';
import { PACKAGE_NODES } from '../../helpers/packageNodes';
import { WorkflowHarness, type WorkflowJson } from '../../helpers/workflowHarness';
import { monitorNode } from './monitorWorkflow';

type Json = Record<string, any>;

const start = { id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

/** A webhook, a 300 ms Wait, a Code node failing one run in five and a fast Set node. */
function runsOf(index: number): StubNodeRun[] {
	return [
		{ name: 'Webhook', type: 'n8n-nodes-base.webhook', executionTime: 1 },
		{ name: 'Slow', type: 'n8n-nodes-base.wait', executionTime: 300 + (index % 7) },
		index % 5 === 0
			? { name: 'Flaky', type: 'n8n-nodes-base.code', executionTime: 4, error: { message: 'Random failure' } }
			: { name: 'Flaky', type: 'n8n-nodes-base.code', executionTime: 4 },
		{ name: 'Tidy', type: 'n8n-nodes-base.set', executionTime: 2 },
	];
}

describe('Perf Monitor: Analyze Executions', () => {
	let stub: ExecutionsApiStub;
	let harness: WorkflowHarness;
	let credentials: HarnessCredentialsHelper;

	beforeEach(async () => {
		resetSharedProcessState();
		stub = new ExecutionsApiStub({ workflowNames: { target1: 'Orders' } });
		const apiBaseUrl = await stub.start();
		credentials = new HarnessCredentialsHelper();
		credentials.set('n8n', { baseUrl: apiBaseUrl, apiKey: stub.key });
		credentials.set('n8nWrongKey', { baseUrl: apiBaseUrl, apiKey: 'not-the-key-123' });
		harness = new WorkflowHarness({ nodeTypes: new HarnessNodeTypes(PACKAGE_NODES), credentialsHelper: credentials });
	});
	afterEach(async () => await stub.stop());

	const addRuns = (count: number, from = 0) => {
		const now = Date.now();
		for (let index = from; index < from + count; index++) {
			stub.add({ workflowId: 'target1', status: index % 5 === 0 ? 'error' : 'success', startedAt: now - 60_000 + index * 100, runs: runsOf(index) });
		}
	};

	/** Start -> Analyze -> (more monitor nodes), one chain. */
	const workflow = (analyze: Json, after: WorkflowJson['nodes'] = [], options: { credentialId?: string; continueOnFail?: boolean } = {}): WorkflowJson & { id: string } => {
		const analyzeNode = {
			...monitorNode('Analyze', { operation: 'analyzeExecutions', workflowIds: 'target1', ...analyze }, options.continueOnFail),
			credentials: { n8nApi: { id: options.credentialId ?? 'n8n', name: 'n8n' } },
		};
		const nodes = [start, analyzeNode, ...after];
		const connections: WorkflowJson['connections'] = {};
		for (let index = 0; index < nodes.length - 1; index++) connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
		return { id: 'analyzerWf', name: 'Analyzer', nodes, connections };
	};

	it('reports each node of the analysed workflow, slow node first, and reads only new executions the next time', async () => {
		addRuns(50);
		const first = await harness.run(workflow({ pageSize: 20 }));
		expect(first.status).toBe('success');
		const [report] = first.json('Analyze') as Json[];
		expect(report).toMatchObject({ executionsRead: 50, pagesRead: 3, capped: false });
		const [orders] = report.workflows;
		expect(orders).toMatchObject({ workflowId: 'target1', workflowName: 'Orders', runs: 50, succeeded: 40, successRate: 0.8 });
		expect(orders.nodes[0]).toMatchObject({ node: 'Slow', nodeType: 'n8n-nodes-base.wait', runs: 50 });
		expect(orders.nodes[0].durationMs.p95).toBeGreaterThan(300);
		expect(orders.nodes[0].durationMs.p95).toBeLessThan(310);
		expect(orders.nodes[0].slowestRuns[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/workflow\/target1\/executions\/\d+$/);
		expect(orders.nodes.find((node: Json) => node.node === 'Flaky')).toMatchObject({ errors: 10, errorRate: 0.2 });
		expect(first.items('Analyze')[0].pairedItem).toEqual([{ item: 0 }]);
		expect(JSON.stringify(report)).not.toContain(stub.key);

		addRuns(5, 50);
		const second = await harness.run(workflow({ pageSize: 20 }));
		const [again] = second.json('Analyze') as Json[];
		expect(again.executionsRead).toBe(5);
		expect(again.workflows[0].runs).toBe(5);
	});

	it('puts every node into Get Metrics, Get Bottlenecks and Get Health Score', async () => {
		addRuns(20);
		const run = await harness.run(
			workflow({}, [
				monitorNode('Bottlenecks', { operation: 'getBottlenecks', window: 60, listOutput: 'oneItem' }),
				monitorNode('Health', { operation: 'getHealthScore', window: 60 }),
				monitorNode('Metrics', { operation: 'getMetrics', window: 60 }),
			]),
		);
		expect(run.status).toBe('success');
		const [{ bottlenecks }] = run.json('Bottlenecks') as Json[];
		expect(bottlenecks.map((row: Json) => row.nodeName)).toEqual(['Orders / Slow', 'Orders / Flaky', 'Orders / Tidy', 'Orders / Webhook']);
		expect(bottlenecks[0]).toMatchObject({ nodeType: 'n8n-nodes-base.wait', calls: 20, impact: 'high' });
		expect(bottlenecks[1]).toMatchObject({ errorRate: 0.2, impact: 'high' });
		const [health] = run.json('Health') as Json[];
		expect(health.components).toHaveLength(4);
		// The Code node's 20% errors take the full error penalty.
		expect(health.components.find((component: Json) => component.nodeName === 'Orders / Flaky')).toMatchObject({ calls: 20, penalties: { errors: 50 } });
		const [metrics] = run.json('Metrics') as Json[];
		expect(metrics.total).toMatchObject({ calls: 80, errors: 4 });
	});

	it('fails with a clear error on a refused API key, and gives error items with continue-on-fail', async () => {
		addRuns(3);
		const refused = await harness.run(workflow({}, [], { credentialId: 'n8nWrongKey' }));
		expect(refused.status).toBe('error');
		expect(refused.error).toMatch(/HTTP 401/);
		expect(refused.error).not.toContain('not-the-key-123');

		const continued = await harness.run(workflow({}, [], { credentialId: 'n8nWrongKey', continueOnFail: true }));
		const [item] = continued.json('Analyze') as Json[];
		expect(item).toMatchObject({ errorClass: 'auth', httpCode: '401' });
		expect(item.errorDescription).toMatch(/API Key/);
	});

	it('keeps what was read before an API error and reads the rest next time', async () => {
		addRuns(30);
		// The first page answers; the second is refused with 429.
		stub.failAt.set(2, 429);
		const failed = await harness.run(workflow({ pageSize: 10 }));
		expect(failed.status).toBe('error');
		expect(failed.error).toMatch(/HTTP 429.*the 10 executions read before it are recorded/);
		const resumed = await harness.run(workflow({ pageSize: 10 }));
		const [report] = resumed.json('Analyze') as Json[];
		expect(report.executionsRead).toBe(20);
	});

	it('names the field of a bad setting', async () => {
		const empty = await harness.run(workflow({ workflowIds: ' , ' }));
		expect(empty.error).toMatch(/'Workflow IDs' is empty/);
		const badPage = await harness.run(workflow({ pageSize: 500 }));
		expect(badPage.error).toMatch(/'Page Size'/);
	});
});
