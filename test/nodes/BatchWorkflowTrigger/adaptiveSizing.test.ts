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

	it('spreads the items over the batches in flight while the sub-workflow has not been measured', async () => {
		const { subExecutions, batchOf } = await dispatch('adaptiveFirst', 1.1);
		expect(subExecutions).toBe(2);
		expect(batchOf).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
	});

	it('then times all items as one sub-execution, and keeps it when that was faster per item', async () => {
		subWorkflowCosts.record('adaptiveBusy', 'wave', { wallMs: 300, items: 1000 });
		const timing = await dispatch('adaptiveBusy', 1.1);
		expect(timing.subExecutions).toBe(1);
		expect(timing.batchOf).toEqual(new Array(10).fill(0));
		subWorkflowCosts.record('adaptiveBusy', 'one', { wallMs: 100, items: 1000 });
		expect((await dispatch('adaptiveBusy', 1.1)).subExecutions).toBe(1);
	});

	it('keeps spreading when one sub-execution was slower per item (n8n mostly waits on the sub-workflow)', async () => {
		subWorkflowCosts.record('adaptiveWaiting', 'wave', { wallMs: 300, items: 1000 });
		subWorkflowCosts.record('adaptiveWaiting', 'one', { wallMs: 1000, items: 1000 });
		const { subExecutions, batchOf } = await dispatch('adaptiveWaiting', 1.1);
		expect(subExecutions).toBe(2);
		expect(batchOf).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
	});

	it('keeps batches within Max Batch Size (KB) whatever the measurement says', async () => {
		subWorkflowCosts.record('adaptiveBounded', 'wave', { wallMs: 300, items: 100 });
		subWorkflowCosts.record('adaptiveBounded', 'one', { wallMs: 100, items: 100 });
		const input = values(10, () => ({ text: 'x'.repeat(300) }));
		const { subExecutions } = await dispatch('adaptiveBounded', 1.1, { options: { maxBatchKb: 1 } }, input);
		// About 330 bytes per item: three fit in 1 KB.
		expect(subExecutions).toBe(4);
	});

	it('stays with fixed batches in version 1, and when Batch Sizing is Fixed', async () => {
		subWorkflowCosts.record('adaptiveV1', 'one', { wallMs: 100, items: 100 });
		expect((await dispatch('adaptiveV1', 1)).subExecutions).toBe(4);
		expect((await dispatch('adaptiveV1', 1.1, { batchSizing: 'fixed' })).subExecutions).toBe(4);
	});

	it('measures each dispatch it ran for real', async () => {
		await dispatch('adaptiveMeasured', 1.1, {}, values(200));
		// A dispatch shorter than the measuring threshold is not recorded; 200 items through the harness take longer.
		expect(subWorkflowCosts.get('adaptiveMeasured')?.dispatches).toBe(1);
	});
});
