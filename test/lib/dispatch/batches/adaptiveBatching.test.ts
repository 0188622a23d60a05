import { adaptiveItemsPerBatch, BatchCostHistory, BUSY_SHARE_THRESHOLD } from '../../../../lib/dispatch/batches';

const sizing = { maxInFlight: 4, firstItemsPerBatch: 100, maxItemsPerBatch: 10_000 };

describe('adaptiveItemsPerBatch', () => {
	it('uses the first batch size while the target has not been measured', () => {
		expect(adaptiveItemsPerBatch(1000, undefined, sizing)).toBe(100);
	});

	it('sends everything in as few batches as allowed when n8n was busy: batches in flight would only queue', () => {
		expect(adaptiveItemsPerBatch(1000, { busyShare: 0.95, dispatches: 3 }, sizing)).toBe(1000);
		expect(adaptiveItemsPerBatch(1000, { busyShare: BUSY_SHARE_THRESHOLD, dispatches: 1 }, sizing)).toBe(1000);
	});

	it('spreads the items over the batches in flight when n8n mostly waited', () => {
		expect(adaptiveItemsPerBatch(1000, { busyShare: 0.2, dispatches: 2 }, sizing)).toBe(250);
		expect(adaptiveItemsPerBatch(1001, { busyShare: 0.2, dispatches: 2 }, sizing)).toBe(251);
		expect(adaptiveItemsPerBatch(3, { busyShare: 0.2, dispatches: 2 }, sizing)).toBe(1);
	});

	it('never exceeds the largest batch allowed', () => {
		expect(adaptiveItemsPerBatch(50_000, { busyShare: 1, dispatches: 1 }, sizing)).toBe(10_000);
		expect(adaptiveItemsPerBatch(50_000, { busyShare: 0.1, dispatches: 1 }, sizing)).toBe(10_000);
		expect(adaptiveItemsPerBatch(500, undefined, { ...sizing, firstItemsPerBatch: 20_000 })).toBe(10_000);
	});

	it('returns at least one item per batch for an empty input', () => {
		expect(adaptiveItemsPerBatch(0, { busyShare: 1, dispatches: 1 }, sizing)).toBe(1);
	});

	it('refuses sizes that are not whole numbers from 1', () => {
		expect(() => adaptiveItemsPerBatch(10, undefined, { ...sizing, maxInFlight: 0 })).toThrow('`maxInFlight`');
		expect(() => adaptiveItemsPerBatch(10, undefined, { ...sizing, maxItemsPerBatch: 1.5 })).toThrow('`maxItemsPerBatch`');
		expect(() => adaptiveItemsPerBatch(-1, undefined, sizing)).toThrow('`itemCount`');
	});
});

describe('BatchCostHistory', () => {
	it('keeps the busy share of the first dispatch, then a moving average that one outlier does not flip', () => {
		const history = new BatchCostHistory();
		history.record('wf', { wallMs: 100, cpuMs: 90 });
		expect(history.get('wf')).toEqual({ busyShare: 0.9, dispatches: 1 });
		history.record('wf', { wallMs: 1000, cpuMs: 100 });
		expect(history.get('wf')?.busyShare).toBeCloseTo(0.5);
		expect(history.get('wf')?.dispatches).toBe(2);
		expect(history.get('other')).toBeUndefined();
	});

	it('caps the share at 1 when other threads added CPU time', () => {
		const history = new BatchCostHistory();
		history.record('wf', { wallMs: 100, cpuMs: 180 });
		expect(history.get('wf')?.busyShare).toBe(1);
	});

	it('ignores dispatches too short to measure and measurements that are not numbers', () => {
		const history = new BatchCostHistory();
		history.record('wf', { wallMs: 5, cpuMs: 5 });
		history.record('wf', { wallMs: Number.NaN, cpuMs: 5 });
		history.record('wf', { wallMs: 100, cpuMs: -1 });
		expect(history.get('wf')).toBeUndefined();
	});

	it('forgets the least recently measured target first when full', () => {
		const history = new BatchCostHistory(2);
		history.record('a', { wallMs: 100, cpuMs: 10 });
		history.record('b', { wallMs: 100, cpuMs: 10 });
		history.record('a', { wallMs: 100, cpuMs: 10 });
		history.record('c', { wallMs: 100, cpuMs: 10 });
		expect(history.get('b')).toBeUndefined();
		expect(history.get('a')?.dispatches).toBe(2);
		expect(history.get('c')).toBeDefined();
		expect(() => new BatchCostHistory(0)).toThrow('`maxTargets`');
	});
});
