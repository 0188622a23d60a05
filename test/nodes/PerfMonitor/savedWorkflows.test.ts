import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSnapshot, ProcessState, resetSharedProcessState, STATE_KEY } from '../../../lib/state';
import { HarnessCredentialsHelper } from '../../helpers/credentialsHelper';
import { HarnessNodeTypes } from '../../helpers/nodeTypes';
import { PACKAGE_NODES } from '../../helpers/packageNodes';
import { WorkflowHarness } from '../../helpers/workflowHarness';
import { monitorWorkflow } from './monitorWorkflow';

/** The saved static data of a workflow that ran before the restart: 4 AI calls, one cached answer. */
function savedBeforeRestart(workflowId: string) {
	const before = new ProcessState({ instanceId: 'before-restart' });
	const state = before.workflow(workflowId);
	for (let index = 0; index < 4; index++) {
		state.metrics.record({ nodeType: 'n8n-nodes-perf-optimizer.optimizedAiCall', nodeName: 'Ask', operation: 'chat', durationMs: 12, cache: index === 0 ? 'miss' : 'hit' });
	}
	state.cache('ai:node:Ask').set('prompt', 'answer');
	return { global: { [STATE_KEY]: JSON.parse(JSON.stringify(buildSnapshot(state, 64 * 1024, before.clock).stored)) } };
}

describe('Perf Monitor: All Workflows with workflows not run since the restart', () => {
	let server: Server;
	let answer: (url: string) => { status: number; body: unknown };
	const requested: string[] = [];

	beforeAll(async () => {
		server = createServer((request, response) => {
			requested.push(request.url ?? '');
			const { status, body } = answer(request.url ?? '');
			response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
		});
		await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
	});
	afterAll(async () => {
		await new Promise((closed) => server.close(closed));
	});
	afterEach(async () => {
		requested.length = 0;
		await resetSharedProcessState();
	});

	function harness() {
		const credentials = new HarnessCredentialsHelper();
		credentials.set('n8n', { apiKey: 'n8n-api-key', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/` });
		return new WorkflowHarness({ nodeTypes: new HarnessNodeTypes(PACKAGE_NODES), credentialsHelper: credentials });
	}
	const workflow = () => {
		const monitor = monitorWorkflow({ operation: 'getMetrics', scope: 'all', includeSavedWorkflows: true });
		monitor.nodes[1].credentials = { n8nApi: { id: 'n8n', name: 'This n8n' } };
		return monitor;
	};

	it("reports a saved workflow's totals without waiting for it to run, and says what it covered", async () => {
		const saved = savedBeforeRestart('savedWf');
		answer = (url) =>
			url.includes('cursor=next')
				? { status: 200, body: { data: [{ id: 'broken', name: 'Broken one', staticData: { global: { [STATE_KEY]: 'garbage' } } }], nextCursor: null } }
				: { status: 200, body: { data: [{ id: 'savedWf', name: 'Saved', staticData: saved }, { id: 'other', name: 'No state', staticData: {} }], nextCursor: 'next' } };
		const run = await harness().run(workflow());
		expect(run.error).toBeUndefined();
		const [summary] = run.json('Monitor');
		expect(requested[0]).toMatch(/^\/api\/v1\/workflows\?limit=250&excludePinnedData=true$/);
		expect(summary.components).toEqual(expect.arrayContaining([expect.objectContaining({ workflowId: 'savedWf', node: 'Ask', calls: 4 })]));
		expect(summary.workflowsCovered).toEqual({
			workflowsListed: 3,
			workflowsWithState: 2,
			loaded: 1,
			unreadable: [{ workflowId: 'broken', name: 'Broken one', reason: 'it is not an object' }],
			complete: false,
		});
	});

	it('says plainly when the API refuses the listing, and reports what this process holds', async () => {
		answer = () => ({ status: 401, body: { message: 'unauthorized' } });
		const run = await harness().run(workflow());
		expect(run.error).toBeUndefined();
		const [summary] = run.json('Monitor');
		expect(summary.workflowsCovered).toMatchObject({ workflowsListed: 0, complete: false, listingError: expect.stringMatching(/Authorization failed/) });
		expect(summary.scope).toBe('all');
	});

	it('leaves the report as it was when the option is off', async () => {
		const run = await harness().run(monitorWorkflow({ operation: 'getMetrics', scope: 'all' }));
		expect(run.json('Monitor')[0].workflowsCovered).toBeUndefined();
		expect(requested).toEqual([]);
	});
});
