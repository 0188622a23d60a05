import { adaptiveBatchSize, BatchCostHistory, RETRY_OTHER_SHAPE_EVERY, type CostProfile } from '../../../../lib/dispatch/batches';

const sizing = { maxInFlight: 4, maxItemsPerBatch: 10_000 };

describe('adaptiveBatchSize', () => {
	it('times a wave first, then one sub-execution, while either is unmeasured', () => {
		expect(adaptiveBatchSize(1000, undefined, sizing)).toEqual({ shape: 'wave', itemsPerBatch: 250 });
		expect(adaptiveBatchSize(1000, { msPerItem: { wave: 1 }, dispatches: 1 }, sizing)).toEqual({ shape: 'one', itemsPerBatch: 1000 });
		expect(adaptiveBatchSize(1000, { msPerItem: { one: 1 }, dispatches: 1 }, sizing)).toEqual({ shape: 'wave', itemsPerBatch: 250 });
	});

	it('keeps the shape that was faster per item', () => {
		const busyTarget: CostProfile = { msPerItem: { one: 0.12, wave: 0.3 }, dispatches: 5 };
		expect(adaptiveBatchSize(1000, busyTarget, sizing)).toEqual({ shape: 'one', itemsPerBatch: 1000 });
		const waitingTarget: CostProfile = { msPerItem: { one: 1.1, wave: 0.5 }, dispatches: 5 };
		expect(adaptiveBatchSize(1001, waitingTarget, sizing)).toEqual({ shape: 'wave', itemsPerBatch: 251 });
	});

	it('times the other shape again every so often, so a changed sub-workflow is noticed', () => {
		const profile: CostProfile = { msPerItem: { one: 0.1, wave: 0.3 }, dispatches: RETRY_OTHER_SHAPE_EVERY };
		expect(adaptiveBatchSize(1000, profile, sizing).shape).toBe('wave');
		expect(adaptiveBatchSize(1000, { ...profile, dispatches: RETRY_OTHER_SHAPE_EVERY + 1 }, sizing).shape).toBe('one');
	});

	it('never exceeds the largest batch allowed, and gives at least one item per batch', () => {
		expect(adaptiveBatchSize(50_000, { msPerItem: { one: 0.1, wave: 1 }, dispatches: 3 }, sizing).itemsPerBatch).toBe(10_000);
		expect(adaptiveBatchSize(50_000, undefined, sizing).itemsPerBatch).toBe(10_000);
		expect(adaptiveBatchSize(3, undefined, sizing).itemsPerBatch).toBe(1);
		expect(adaptiveBatchSize(0, undefined, sizing).itemsPerBatch).toBe(1);
	});

	it('refuses sizes that are not whole numbers from 1', () => {
		expect(() => adaptiveBatchSize(10, undefined, { ...sizing, maxInFlight: 0 })).toThrow('`maxInFlight`');
		expect(() => adaptiveBatchSize(10, undefined, { ...sizing, maxItemsPerBatch: 1.5 })).toThrow('`maxItemsPerBatch`');
		expect(() => adaptiveBatchSize(-1, undefined, sizing)).toThrow('`itemCount`');
	});
});

describe('BatchCostHistory', () => {
	it('keeps each shape its own time per item: the first dispatch, then a moving average one outlier does not flip', () => {
		const history = new BatchCostHistory();
		history.record('wf', 'wave', { wallMs: 500, items: 1000 });
		expect(history.get('wf')).toEqual({ msPerItem: { wave: 0.5 }, dispatches: 1 });
		history.record('wf', 'one', { wallMs: 1100, items: 1000 });
		history.record('wf', 'wave', { wallMs: 1500, items: 1000 });
		expect(history.get('wf')).toEqual({ msPerItem: { wave: 1, one: 1.1 }, dispatches: 3 });
		expect(history.get('other')).toBeUndefined();
	});

	it('ignores dispatches too short to measure and measurements that are not numbers', () => {
		const history = new BatchCostHistory();
		history.record('wf', 'one', { wallMs: 5, items: 10 });
		history.record('wf', 'one', { wallMs: Number.NaN, items: 10 });
		history.record('wf', 'one', { wallMs: 100, items: 0 });
		expect(history.get('wf')).toBeUndefined();
	});

	it('forgets the least recently measured target first when full', () => {
		const history = new BatchCostHistory(2);
		history.record('a', 'one', { wallMs: 100, items: 10 });
		history.record('b', 'one', { wallMs: 100, items: 10 });
		history.record('a', 'one', { wallMs: 100, items: 10 });
		history.record('c', 'one', { wallMs: 100, items: 10 });
		expect(history.get('b')).toBeUndefined();
		expect(history.get('a')?.dispatches).toBe(2);
		expect(history.get('c')).toBeDefined();
		expect(() => new BatchCostHistory(0)).toThrow('`maxTargets`');
	});
});
