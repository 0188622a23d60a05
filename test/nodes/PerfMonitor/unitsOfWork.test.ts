import { resetSharedProcessState } from '../../../lib/state';
import type { WorkflowHarness } from '../../helpers/workflowHarness';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhookReceiver';
import { batchWorkflow, doublingSubWorkflow, values } from '../BatchWorkflowTrigger/batchWorkflow';
import { aiHarness, aiWorkflow, prompts } from '../OptimizedAiCall/aiWorkflow';
import { useLlmStub } from '../OptimizedAiCall/useStub';
import { templateWorkflow } from '../TemplatePopulate/templateWorkflow';
import { monitorHarness, monitorWorkflow, recordEvents } from './monitorWorkflow';

type Json = Record<string, any>;

const DEMO = 'demoWf';

/** The demo's traffic: 70 items in batches of 10 to a sub-workflow (7 batches), then 2 items populated from a library template. */
async function demoTraffic() {
	const harness = monitorHarness();
	harness.database.add(doublingSubWorkflow());
	const sent = await harness.run(
		batchWorkflow({ target: 'subWorkflow', workflowId: { __rl: true, mode: 'id', value: 'doubleSub1' }, batchSize: 10 }, { id: DEMO }),
		{ input: values(70) },
	);
	expect(sent.status).toBe('success');
	await harness.run(templateWorkflow({ operation: 'saveTemplate', saveId: 'greeting', saveBody: 'Hi {{first_name}}' }, { id: DEMO }));
	const filled = await harness.run(templateWorkflow({ templateSource: 'library', templateId: 'greeting' }, { id: DEMO }), {
		input: [{ firstName: 'Ada' }, { firstName: 'Bob' }],
	});
	expect(filled.json('Fill').map((item) => item.text)).toEqual(['Hi Ada', 'Hi Bob']);
	return harness;
}

const monitor = async (harness: WorkflowHarness, operation: string, extra: Json = {}) =>
	(await harness.run(monitorWorkflow({ operation, window: 5, ...extra }, { id: DEMO }))).json('Monitor') as Json[];

describe('Perf Monitor: a call is one unit of work', () => {
	beforeEach(() => resetSharedProcessState());

	it('counts 7 batches as 7 calls and 2 populated items as 2 calls, with their steps in a breakdown', async () => {
		const harness = await demoTraffic();
		const [report] = await monitor(harness, 'getMetrics');
		const send = report.components.find((component: Json) => component.node === 'Send');
		const fill = report.components.find((component: Json) => component.node === 'Fill');
		expect(send).toMatchObject({ component: 'batchWorkflowTrigger', calls: 7, items: 70, errors: 0 });
		expect(send.operations).toMatchObject({
			dispatchSubWorkflow: { unitOfWork: true, calls: 7, items: 70, errors: 0 },
			queueWait: { unitOfWork: false, calls: 7, items: 70 },
		});
		expect(Object.keys(send.operations).sort()).toEqual(['dispatchSubWorkflow', 'queueWait']);
		// Latency is the dispatch's alone: queue wait is time before the unit of work, not a second sample of it.
		expect(send.latencyMs).toEqual(send.operations.dispatchSubWorkflow.latencyMs);
		expect(fill).toMatchObject({ component: 'templatePopulate', calls: 2, items: 2, errors: 0 });
		expect(fill.operations).toMatchObject({
			populate: { unitOfWork: true, calls: 2, items: 2 },
			discover: { unitOfWork: false, calls: 2 },
			map: { unitOfWork: false, calls: 2 },
			render: { unitOfWork: false, calls: 2 },
		});
		expect(report.total).toMatchObject({ calls: 9, items: 72, errors: 0 });
		expect(report.total.throughputPerMin).toBe(1.8);
	});

	it('weighs health and shares time by units of work, leaving queue wait out', async () => {
		const harness = await demoTraffic();
		const [report] = await monitor(harness, 'getMetrics');
		const [health] = await monitor(harness, 'getHealthScore');
		expect(health.components.map((component: Json) => [component.nodeName, component.calls]).sort()).toEqual([
			['Fill', 2],
			['Send', 7],
		]);
		const dispatchMs = report.components.find((component: Json) => component.node === 'Send').operations.dispatchSubWorkflow.totalMs;
		const populateMs = report.components.find((component: Json) => component.node === 'Fill').operations.populate.totalMs;
		const bottlenecks = await monitor(harness, 'getBottlenecks');
		const send = bottlenecks.find((row) => row.nodeName === 'Send') as Json;
		expect(send.calls).toBe(7);
		expect(send.shareOfTimePct).toBeCloseTo((dispatchMs / (dispatchMs + populateMs)) * 100, 0);
	});

	it('counts a populated item that failed as one call with one error', async () => {
		const harness = monitorHarness();
		const filled = await harness.run(templateWorkflow({ template: 'Hi {{first_name}}' }, { id: DEMO, continueOnFail: true }), {
			input: [{ firstName: 'Ada' }, { other: 1 }, { firstName: 'Cy' }],
		});
		expect((filled.json('Fill')[1] as Json).errorClass).toBe('validation');
		const [report] = await monitor(harness, 'getMetrics');
		const [fill] = report.components as Json[];
		expect(fill).toMatchObject({ calls: 3, items: 3, errors: 1, errorRate: 0.3333, errorsByClass: { validation: 1 } });
		expect(fill.operations.populate).toMatchObject({ calls: 3, errors: 1 });
		expect(fill.operations.render).toMatchObject({ calls: 2, errors: 0 });
	});

	it('gives trends and alerts over units of work: a failed HTTP attempt that was retried is no error of the batch', async () => {
		const batch = { nodeType: 'n8n-nodes-perf-optimizer.batchWorkflowTrigger', nodeName: 'Send' };
		recordEvents([
			...[0, 1].map(() => ({ ...batch, operation: 'dispatchWebhook', durationMs: 100, items: 10, retries: 1 })),
			...[0, 1].map(() => ({ ...batch, operation: 'queueWait', durationMs: 900 })),
			{ ...batch, operation: 'POST http://receiver/hook', durationMs: 40, outcome: 'server' as const },
			...[0, 1].map(() => ({ ...batch, operation: 'POST http://receiver/hook', durationMs: 50 })),
		]);
		const harness = monitorHarness();
		const [trend] = (await harness.run(monitorWorkflow({ operation: 'getTrends', window: 5 }))).json('Monitor') as Json[];
		expect(trend.points.reduce((sum: number, point: Json) => sum + point.calls, 0)).toBe(2);
		const rules = [
			{ id: 'errors', metric: 'errorRate', comparator: '>', value: 0, windowMinutes: 5, severity: 'critical' },
			{ id: 'busy', metric: 'calls', comparator: '>', value: 2, windowMinutes: 5, severity: 'info' },
			{ id: 'slow', metric: 'p95LatencyMs', comparator: '>', value: 500, windowMinutes: 5, severity: 'warning' },
		];
		await harness.run(monitorWorkflow({ operation: 'configure', alertRules: JSON.stringify(rules) }));
		const [report] = (await harness.run(monitorWorkflow({ operation: 'checkAlerts' }))).json('Monitor', 0) as Json[];
		expect(report.evaluations.map((evaluation: Json) => [evaluation.ruleId, evaluation.value, evaluation.firing])).toEqual([
			['errors', 0, false],
			['busy', 2, false],
			['slow', expect.closeTo(100, 0), false],
		]);
	});

	it('lists a component that did only sub-operations with zero calls', async () => {
		const harness = monitorHarness();
		await harness.run(templateWorkflow({ operation: 'saveTemplate', saveId: 'greeting', saveBody: 'Hi {{name}}' }, { id: DEMO }));
		await harness.run(templateWorkflow({ operation: 'findTemplate', findBy: 'id', query: 'greeting' }, { id: DEMO }));
		const [report] = await monitor(harness, 'getMetrics');
		expect(report.components).toMatchObject([{ node: 'Fill', calls: 0, operations: { discover: { unitOfWork: false, calls: 1 } } }]);
		expect(report.total.calls).toBe(0);
		const [health] = await monitor(harness, 'getHealthScore');
		expect(health).toMatchObject({ score: 100, components: [] });
	});
});

describe('Perf Monitor: cache figures count the same lookups over the lifetime and the window', () => {
	const stubHolder = useLlmStub();
	const receivers: WebhookReceiver[] = [];
	beforeEach(() => resetSharedProcessState());
	afterEach(async () => {
		await resetSharedProcessState();
		await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
	});

	it('counts an AI call that failed after its lookup as a miss in both', async () => {
		const { harness } = aiHarness(stubHolder.current.url);
		const ask = aiWorkflow({ optimization: { maxAttempts: 1 } }, { continueOnFail: true, id: DEMO });
		// a: miss then hit; the failing prompt: two misses (nothing is stored for it); b: miss.
		await harness.run(ask, { input: prompts('a', '[[status:500]] x', 'b') });
		await harness.run(ask, { input: prompts('a', '[[status:500]] x') });
		const [cache] = await monitor(harness, 'getCacheStatistics');
		expect(cache.sinceProcessStart).toMatchObject({ hits: 1, misses: 4, hitRate: 0.2 });
		expect(cache.window).toMatchObject({ lookups: 5, hits: 1, misses: 4, hitRate: 0.2 });
		const [report] = await monitor(harness, 'getMetrics');
		expect(report.components[0]).toMatchObject({ calls: 5, errors: 2, cache: { hits: 1, misses: 4, hitRate: 0.2 } });
	});

	it('counts a batch that failed after its lookup as a miss in both, and its HTTP attempts as sub-operations', async () => {
		const receiver = await startWebhookReceiver('cached');
		receivers.push(receiver);
		receiver.failNext({ status: 400 });
		const harness = monitorHarness();
		const send = batchWorkflow({ target: 'webhook', webhookUrls: receiver.url, batchSize: 1, maxInFlight: 1, options: { resultCache: true } }, { id: DEMO, continueOnFail: true });
		const first = await harness.run(send, { input: values(2) });
		expect((first.json('Send') as Json[]).map((item) => item.httpCode ?? 'ok')).toEqual(['400', 'ok']);
		await harness.run(send, { input: values(2) });
		// Batch 0: miss (failed), then miss (sent); batch 1: miss, then hit.
		const [cache] = await monitor(harness, 'getCacheStatistics');
		expect(cache.sinceProcessStart).toMatchObject({ hits: 1, misses: 3 });
		expect(cache.window).toMatchObject({ lookups: 4, hits: 1, misses: 3 });
		const [report] = await monitor(harness, 'getMetrics');
		const [component] = report.components as Json[];
		expect(component).toMatchObject({ calls: 4, items: 4, errors: 1 });
		expect(component.operations[`POST ${receiver.url}`]).toMatchObject({ unitOfWork: false, calls: 3, errors: 1 });
	});
});
