import { resetSharedProcessState } from '../../../lib/state';
import { subWorkflowCosts } from '../../../nodes/BatchWorkflowTrigger/actions/batchSizing';
import { batchHarness, batchWorkflow, doublingSubWorkflow, values } from './batchWorkflow';

type Json = Record<string, any>;

/** Runs 10 items through version `typeVersion` against a fresh sub-workflow; returns the sub-executions and batch of each item. */
async function dispatch(subId: string, typeVersion: number, parameters: Record<string, unknown> = {}, input = values(10)) {
	const harness = batchHarness();
	harness.database.add(doublingSubWorkflow(subId));
	const result = await harness.run(
		batchWorkflow({ target: 'subWorkflow', workflowId: { __rl: true, mode: 'id', value: subId }, batchSize: 3, maxInFlight: 2, ...parameters }, { typeVersion }),
		{ input },
	);
	expect(result.status).toBe('success');
	const out = result.json('Send') as Json[];
	expect(out.map((item) => item.doubled)).toEqual(input.map(({ value }) => value * 2));
	return { subExecutions: result.run.data.resultData.runData.Send[0].metadata?.subExecutionsCount, batchOf: out.map((item) => item._batch.index) };
}

describe('Batch Workflow Trigger 1.1: adaptive batch sizing', () => {
	beforeEach(() => resetSharedProcessState());

	it('uses Items per Batch while the sub-workflow has not been measured', async () => {
		expect((await dispatch('adaptiveFirst', 1.1)).subExecutions).toBe(4);
	});

	it('runs all items as one sub-execution when n8n was busy running the sub-workflow', async () => {
		subWorkflowCosts.record('adaptiveBusy', { wallMs: 100, cpuMs: 95 });
		const { subExecutions, batchOf } = await dispatch('adaptiveBusy', 1.1);
		expect(subExecutions).toBe(1);
		expect(batchOf).toEqual(new Array(10).fill(0));
	});

	it('spreads the items over the batches in flight when n8n mostly waited on the sub-workflow', async () => {
		subWorkflowCosts.record('adaptiveWaiting', { wallMs: 100, cpuMs: 10 });
		const { subExecutions, batchOf } = await dispatch('adaptiveWaiting', 1.1);
		expect(subExecutions).toBe(2);
		expect(batchOf).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
	});

	it('keeps batches within Max Batch Size (KB) whatever the measurement says', async () => {
		subWorkflowCosts.record('adaptiveBounded', { wallMs: 100, cpuMs: 95 });
		const input = values(10, () => ({ text: 'x'.repeat(300) }));
		const { subExecutions } = await dispatch('adaptiveBounded', 1.1, { options: { maxBatchKb: 1 } }, input);
		// About 330 bytes per item: three fit in 1 KB.
		expect(subExecutions).toBe(4);
	});

	it('stays with fixed batches in version 1, and when Batch Sizing is Fixed', async () => {
		subWorkflowCosts.record('adaptiveV1', { wallMs: 100, cpuMs: 95 });
		expect((await dispatch('adaptiveV1', 1)).subExecutions).toBe(4);
		expect((await dispatch('adaptiveV1', 1.1, { batchSizing: 'fixed' })).subExecutions).toBe(4);
	});

	it('measures each dispatch it ran for real', async () => {
		await dispatch('adaptiveMeasured', 1.1, {}, values(200));
		// A dispatch shorter than the measuring threshold is not recorded; 200 items through the harness take longer.
		expect(subWorkflowCosts.get('adaptiveMeasured')?.dispatches).toBe(1);
	});
});
