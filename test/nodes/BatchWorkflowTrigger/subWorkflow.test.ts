import { resetSharedProcessState } from '../../../lib/state';
import { batchHarness, batchWorkflow, doublingSubWorkflow, values } from './batchWorkflow';

type Json = Record<string, any>;

describe('Batch Workflow Trigger: sub-workflow target', () => {
	beforeEach(() => resetSharedProcessState());

	it('runs the sub-workflow once per batch, several at once, and maps results back in input order', async () => {
		const harness = batchHarness();
		harness.database.add(doublingSubWorkflow());
		const result = await harness.run(
			batchWorkflow({ target: 'subWorkflow', workflowId: { __rl: true, mode: 'id', value: 'doubleSub1' }, batchSize: 3, maxInFlight: 2 }),
			{ input: values(10) },
		);
		expect(result.status).toBe('success');
		const out = result.json('Send') as Json[];
		expect(out.map((item) => [item.value, item.doubled])).toEqual(values(10).map(({ value }) => [value, value * 2]));
		expect(out.every((item) => item._batchItem === undefined)).toBe(true);
		expect(out.map((item) => item._batch.index)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3]);
		expect(out[0]._batch).toMatchObject({ workflow: 'doubleSub1', attempts: 1, cached: false });
		expect(result.items('Send').map((item) => item.pairedItem)).toEqual(values(10).map((_, item) => ({ item })));
		expect(result.run.data.resultData.runData.Send[0].metadata?.subExecutionsCount).toBe(4);
	});

	it('keeps items with the same group key in one batch', async () => {
		const harness = batchHarness();
		harness.database.add(doublingSubWorkflow());
		const input = values(6, (index) => ({ customer: ['a', 'b', 'a', 'c', 'b', 'a'][index] }));
		const result = await harness.run(
			batchWorkflow({ target: 'subWorkflow', workflowId: { __rl: true, mode: 'id', value: 'doubleSub1' }, batchSize: 3, options: { groupBy: 'customer' } }),
			{ input },
		);
		// Groups in first-seen order: a (items 0, 2, 5) fills batch 0; b (1, 4) and c (3) share batch 1.
		expect((result.json('Send') as Json[]).map((item) => [item.customer, item._batch.index])).toEqual([
			['a', 0],
			['b', 1],
			['a', 0],
			['c', 1],
			['b', 1],
			['a', 0],
		]);
		expect((result.json('Send') as Json[]).map((item) => item.value)).toEqual([0, 1, 2, 3, 4, 5]);
	});

	it('returns one receipt per batch in fire-and-forget mode', async () => {
		const harness = batchHarness();
		harness.database.add(doublingSubWorkflow());
		const result = await harness.run(
			batchWorkflow({ target: 'subWorkflow', workflowId: { __rl: true, mode: 'id', value: 'doubleSub1' }, batchSize: 4, mode: 'fireAndForget' }),
			{ input: values(10) },
		);
		expect(result.json('Send').map((row) => [row.batch, row.items, row.status])).toEqual([
			[0, 4, 'sent'],
			[1, 4, 'sent'],
			[2, 2, 'sent'],
		]);
		expect(result.items('Send')[2].pairedItem).toEqual([{ item: 8 }, { item: 9 }]);
	});

	it('says clearly when the sub-workflow does not exist', async () => {
		const result = await batchHarness().run(batchWorkflow({ target: 'subWorkflow', workflowId: { __rl: true, mode: 'id', value: 'missing1' } }), {
			input: values(2),
		});
		expect(result.nodeError('Send')).toMatch(/^Batch 0 \(items 0-1\): The sub-workflow missing1 failed: Workflow with id "missing1" does not exist/);
	});

	it('serves an identical batch from the result cache', async () => {
		const harness = batchHarness();
		harness.database.add(doublingSubWorkflow());
		const workflow = batchWorkflow({ target: 'subWorkflow', workflowId: { __rl: true, mode: 'id', value: 'doubleSub1' }, batchSize: 5, options: { resultCache: true } });
		await harness.run(workflow, { input: values(5) });
		const second = await harness.run(workflow, { input: values(5) });
		expect((second.json('Send') as Json[]).map((item) => [item.doubled, item._batch.cached])).toEqual(values(5).map(({ value }) => [value * 2, true]));
		expect(second.run.data.resultData.runData.Send[0].metadata?.subExecutionsCount).toBeUndefined();
	});
});
