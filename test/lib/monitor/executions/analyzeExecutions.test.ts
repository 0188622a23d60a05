import type { MetricEvent } from '../../../../lib/metrics';
import {
	analyzeExecutions,
	digestExecution,
	ExecutionsApi,
	type ApiExecution,
	type ApiFetch,
	type ReadProgress,
} from '../../../../lib/monitor/executions';
import { ExecutionsApiStub, type StubNodeRun } from '../../../helpers/executionsApiStub';

const T0 = Date.UTC(2026, 4, 1, 12);
const fetchApi: ApiFetch = (url, init) => fetch(url, init);

/** Trigger, a slow Wait of 300 ms, a Code node failing every fifth run, and an HTTP Request returning 3 items. */
function runsOf(index: number): StubNodeRun[] {
	return [
		{ name: 'Trigger', type: 'n8n-nodes-base.webhook', executionTime: 1 },
		{ name: 'Slow', type: 'n8n-nodes-base.wait', executionTime: 300 + (index % 10) },
		index % 5 === 4
			? { name: 'Flaky', type: 'n8n-nodes-base.code', executionTime: 5, error: { message: 'boom' } }
			: { name: 'Flaky', type: 'n8n-nodes-base.code', executionTime: 5 },
		{ name: 'Fetch', type: 'n8n-nodes-base.httpRequest', executionTime: 20, items: 3 },
	];
}

describe('analyzeExecutions', () => {
	let stub: ExecutionsApiStub;
	let apiBaseUrl: string;
	let events: MetricEvent[];

	beforeEach(async () => {
		stub = new ExecutionsApiStub({ workflowNames: { wf1: 'Orders' } });
		apiBaseUrl = await stub.start();
		events = [];
	});
	afterEach(async () => await stub.stop());

	const addRuns = (count: number, from = 0) => {
		for (let index = from; index < from + count; index++) {
			stub.add({ workflowId: 'wf1', status: index % 5 === 4 ? 'error' : 'success', startedAt: T0 + index * 1000, runs: runsOf(index) });
		}
	};

	const analyze = (progress = new Map<string, ReadProgress>(), overrides: { maxExecutions?: number; pageSize?: number; apiKey?: string } = {}) =>
		analyzeExecutions({
			api: new ExecutionsApi({ apiBaseUrl, apiKey: overrides.apiKey ?? stub.key }, fetchApi),
			workflows: [{ id: 'wf1' }],
			progress,
			startedAfterMs: T0 - 60_000,
			pageSize: overrides.pageSize ?? 20,
			maxExecutions: overrides.maxExecutions ?? 10_000,
			instanceUrl: 'http://n8n.test',
			record: (event) => events.push(event),
		});

	it('reads only the window on an n8n without the startedAfter filter (1.x), asking for it once', async () => {
		await stub.stop();
		stub = new ExecutionsApiStub({ workflowNames: { wf1: 'Orders' }, withoutStartedAfter: true });
		apiBaseUrl = await stub.start();
		// 30 runs before the window (T0 - 60 s), 25 inside it.
		for (let index = 0; index < 30; index++) stub.add({ workflowId: 'wf1', status: 'success', startedAt: T0 - 600_000 + index * 1000, runs: runsOf(index) });
		addRuns(25);
		const result = await analyze();
		expect(result).toMatchObject({ executionsRead: 25, pagesRead: 2, capped: false });
		expect(result.failure).toBeUndefined();
		expect(stub.requests.filter((request) => request.includes('startedAfter'))).toHaveLength(1);
	});

	it('reports per workflow and per node from every page, slowest node first', async () => {
		addRuns(50);
		const result = await analyze();
		expect(result).toMatchObject({ executionsRead: 50, pagesRead: 3, capped: false });
		const [workflow] = result.workflows;
		expect(workflow).toMatchObject({ workflowId: 'wf1', workflowName: 'Orders', runs: 50, succeeded: 40, successRate: 0.8 });
		expect(workflow.nodes.map((node) => node.node)).toEqual(['Slow', 'Fetch', 'Flaky', 'Trigger']);
		const [slow, fetchNode, flaky] = workflow.nodes;
		// Durations 300..309 ms, five of each: the p95 is 309 ms within the 1% the bins guarantee.
		expect(slow.durationMs.p95).toBeGreaterThanOrEqual(309 * 0.99);
		expect(slow.durationMs.p95).toBeLessThanOrEqual(309 * 1.01);
		expect(slow.shareOfTimePct).toBeCloseTo((304.5 / (304.5 + 1 + 5 + 20)) * 100, 0);
		expect(slow.slowestRuns).toHaveLength(5);
		expect(slow.slowestRuns[0]).toMatchObject({ durationMs: 309, url: `http://n8n.test/workflow/wf1/executions/${slow.slowestRuns[0].executionId}` });
		expect(slow.slowestRuns.every((run) => run.durationMs === 309)).toBe(true);
		expect(flaky).toMatchObject({ runs: 50, errors: 10, errorRate: 0.2, errorsByClass: { other: 10 } });
		expect(fetchNode).toMatchObject({ nodeType: 'n8n-nodes-base.httpRequest', itemsOut: 150 });
		// One event per node run, at the run's own time, under the workflow-qualified component.
		expect(events).toHaveLength(200);
		const slowEvents = events.filter((event) => event.nodeName === 'Orders / Slow');
		expect(slowEvents).toHaveLength(50);
		expect(slowEvents[0]).toMatchObject({ nodeType: 'n8n-nodes-base.wait', operation: 'nodeRun', outcome: 'ok' });
		expect(Math.min(...slowEvents.map((event) => event.at!))).toBe(T0 + 1);
		expect(events.filter((event) => event.outcome === 'other')).toHaveLength(10);
		expect(result.progress.get('wf1')).toEqual({ readUpTo: '50' });
	});

	it('reads only executions that are new since the last run', async () => {
		addRuns(30);
		const first = await analyze();
		addRuns(7, 30);
		const requestsBefore = stub.requests.length;
		events = [];
		const second = await analyze(first.progress);
		expect(second.executionsRead).toBe(7);
		expect(stub.requests.length - requestsBefore).toBe(1);
		expect(events).toHaveLength(28);
		expect(second.progress.get('wf1')).toEqual({ readUpTo: '37' });
		const third = await analyze(second.progress);
		expect(third.executionsRead).toBe(0);
		expect(third.workflows[0].runs).toBe(0);
	});

	it('keeps what was read when the API fails midway, and the next run reads the rest exactly once', async () => {
		addRuns(50);
		// The first page answers, the second gets a 429.
		stub.failAt.set(2, 429);
		const failed = await analyze();
		expect(failed.failure).toMatchObject({ status: 429, errorClass: 'rate_limit' });
		expect(failed.failure!.message).toMatch(/HTTP 429/);
		expect(failed.executionsRead).toBe(20);
		expect(failed.workflows[0].runs).toBe(20);
		expect(failed.progress.get('wf1')).toMatchObject({ resume: { newestId: '50' } });

		addRuns(5, 50);
		const resumed = await analyze(failed.progress);
		expect(resumed.failure).toBeUndefined();
		// The 30 left of the stopped read, then the 5 new ones.
		expect(resumed.executionsRead).toBe(35);
		expect(resumed.progress.get('wf1')).toEqual({ readUpTo: '55' });
		const slowRuns = events.filter((event) => event.nodeName === 'Orders / Slow');
		expect(slowRuns).toHaveLength(55);
		expect(new Set(slowRuns.map((event) => event.at)).size).toBe(55);
	});

	it('stops at the cap and goes on from there next time', async () => {
		addRuns(45);
		const capped = await analyze(new Map(), { maxExecutions: 20, pageSize: 10 });
		expect(capped).toMatchObject({ executionsRead: 20, capped: true });
		const rest = await analyze(capped.progress, { maxExecutions: 1000, pageSize: 10 });
		expect(rest).toMatchObject({ executionsRead: 25, capped: false });
		expect(rest.progress.get('wf1')).toEqual({ readUpTo: '45' });
	});

	it('gives a clear error without the key on 401, and on an n8n that does not answer', async () => {
		addRuns(3);
		const refused = await analyze(new Map(), { apiKey: 'wrong-key-abcdef' });
		expect(refused.failure).toMatchObject({ status: 401, errorClass: 'auth' });
		expect(refused.failure!.description).toMatch(/API Key/);
		expect(refused.failure!.message).not.toContain('wrong-key-abcdef');
		expect(refused.progress.get('wf1')).toEqual({});

		stub.failNext.push('drop');
		const dropped = await analyze();
		expect(dropped.failure).toMatchObject({ errorClass: 'network' });
		expect(dropped.failure!.message).toMatch(/n8n could not be reached/);

		await stub.stop();
		const down = await analyze();
		expect(down.failure!.message).toMatch(/n8n could not be reached/);
	});

	it('skips executions that are still waiting', async () => {
		addRuns(3);
		stub.add({ workflowId: 'wf1', status: 'waiting', startedAt: T0 + 10_000, runs: runsOf(1) });
		const result = await analyze();
		expect(result).toMatchObject({ executionsRead: 3, unfinishedSkipped: 1 });
	});

	it('refuses a page size the API cannot serve', async () => {
		await expect(analyze(new Map(), { pageSize: 251 })).rejects.toThrow(/pageSize/);
	});
});

describe('digestExecution', () => {
	it('keeps timings, item counts and errors, and nothing of the items', () => {
		const execution: ApiExecution = {
			id: '7',
			workflowId: 'wf',
			status: 'error',
			startedAt: '2026-05-01T12:00:00.000Z',
			stoppedAt: '2026-05-01T12:00:01.500Z',
			data: {
				resultData: {
					runData: {
						Get: [{ startTime: 1, executionTime: 40, data: { main: [[{ json: { secret: 'item-data' } }, { json: {} }], [{ json: {} }]] } }],
						Call: [{ startTime: 2, executionTime: 900, error: { message: 'Too many requests', httpCode: '429' } }],
					},
				},
			},
			workflowData: { name: 'W', nodes: [{ name: 'Get', type: 'n8n-nodes-base.httpRequest' }] },
		};
		const digest = digestExecution(execution);
		expect(digest).toMatchObject({ id: '7', workflowName: 'W', durationMs: 1500, hasRunData: true });
		expect(digest.nodeRuns).toEqual([
			{ nodeName: 'Get', nodeType: 'n8n-nodes-base.httpRequest', startTime: 1, durationMs: 40, itemsOut: 3 },
			{ nodeName: 'Call', nodeType: 'unknown', startTime: 2, durationMs: 900, itemsOut: 0, error: { errorClass: 'rate_limit', message: 'Too many requests' } },
		]);
		expect(JSON.stringify(digest)).not.toContain('item-data');
	});

	it('counts an execution listed without its data', () => {
		const digest = digestExecution({ id: '8', workflowId: 'wf', status: 'success', startedAt: null, stoppedAt: null, dataTooLargeToDisplay: true });
		expect(digest).toMatchObject({ hasRunData: false, nodeRuns: [], durationMs: null });
	});
});
