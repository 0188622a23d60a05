import { DEFAULT_FLUSH_INTERVAL_MS, ProcessState, STATE_KEY, StaticDataStateStore, type StateStore } from '../../../lib/state';
import type { MetricEvent } from '../../../lib/metrics';
import { ManualClock } from '../../../lib/shared/clock';
import { silentLogger } from '../../../lib/shared/logger';

const hit: MetricEvent = { nodeType: 'test.ai', nodeName: 'Ask', operation: 'chat', durationMs: 2, cache: 'hit' };
const limits = { maxEntries: 10_000, ttlMs: 0 };
const SECOND = 1000;

/** What n8n does with static data: a JSON copy in at the start, saved whole at the end only when changed. */
class WorkflowRow {
	staticData: Record<string, unknown> = {};
	saves = 0;
	bytesSaved = 0;
	read(): Record<string, unknown> {
		return JSON.parse(JSON.stringify(this.staticData));
	}
	saveIfChanged(copy: Record<string, unknown>, before: unknown): void {
		if (copy[STATE_KEY] === before) return;
		const json = JSON.stringify(copy);
		this.saves++;
		this.bytesSaved += Buffer.byteLength(json);
		this.staticData = JSON.parse(json);
	}
}

function open(process: ProcessState, staticData: Record<string, unknown>, flushIntervalMs?: number): StateStore {
	return new StaticDataStateStore({ process, workflowId: 'wf1', staticData, logger: silentLogger, flushIntervalMs });
}

/** One execution: n8n reads the row, the node works, commits, n8n saves what changed. */
async function execute(process: ProcessState, row: WorkflowRow, work: (store: StateStore) => Promise<void> | void, flushIntervalMs?: number) {
	const copy = row.read();
	const before = copy[STATE_KEY];
	const store = open(process, copy, flushIntervalMs);
	await work(store);
	const report = await store.commit();
	row.saveIfChanged(copy, before);
	return report;
}

async function totalCalls(store: StateStore): Promise<number> {
	return (await store.metrics.read()).reduce((sum, reading) => sum + reading.counters.calls, 0);
}

describe('StaticDataStateStore write cadence', () => {
	it('writes counts of steady hits once per flush interval: under 2 KB per execution on average', async () => {
		const clock = new ManualClock();
		const process = new ProcessState({ instanceId: 'host-a', clock });
		const row = new WorkflowRow();
		await execute(process, row, async (store) => {
			const cache = store.caches.open('ai:Ask', limits);
			for (let index = 0; index < 100; index++) await cache.set(`prompt-${index}`, { text: `answer ${index} `.repeat(20) });
		});
		const savesBefore = row.saves;
		const bytesBefore = row.bytesSaved;
		// 10 minutes at 20 executions a second, every one a hit.
		const executions = 10 * 60 * 20;
		for (let index = 0; index < executions; index++) {
			clock.advance(SECOND / 20);
			await execute(process, row, async (store) => {
				await store.caches.open('ai:Ask', limits).get(`prompt-${index % 100}`);
				store.metrics.record(hit);
			});
		}
		expect(row.saves - savesBefore).toBeLessThanOrEqual(10);
		expect(row.saves - savesBefore).toBeGreaterThanOrEqual(9);
		expect((row.bytesSaved - bytesBefore) / executions).toBeLessThan(2048);
		const restarted = new ProcessState({ instanceId: 'host-a', clock });
		// At most the last interval of counts is unsaved.
		expect(await totalCalls(open(restarted, row.read()))).toBeGreaterThanOrEqual(executions - (DEFAULT_FLUSH_INTERVAL_MS / SECOND) * 20);
	});

	it('writes a new answer, a refreshed answer, a record and a reset at once, whatever the interval', async () => {
		const clock = new ManualClock();
		const process = new ProcessState({ instanceId: 'host-a', clock });
		const row = new WorkflowRow();
		expect((await execute(process, row, (store) => store.metrics.record(hit))).written).toBe(true);
		clock.advance(SECOND);
		expect((await execute(process, row, (store) => store.metrics.record(hit))).written).toBe(false);
		const changes: Array<[string, (store: StateStore) => Promise<unknown>]> = [
			['a new answer', (store) => store.caches.open('ai:Ask', limits).set('p1', 'first')],
			['a refreshed answer', (store) => store.caches.open('ai:Ask', limits).set('p1', 'second')],
			['a setting', (store) => store.records.set('monitor:settings', { threshold: 3 })],
			['a reset', (store) => store.metrics.reset()],
		];
		for (const [label, change] of changes) {
			clock.advance(SECOND);
			const report = await execute(process, row, async (store) => {
				store.metrics.record(hit);
				await change(store);
			});
			expect({ label, written: report.written }).toEqual({ label, written: true });
		}
		const restarted = open(new ProcessState({ instanceId: 'host-a', clock }), row.read());
		expect((await restarted.caches.open('ai:Ask', limits).get('p1'))?.value).toBe('second');
		expect((await restarted.records.get('monitor:settings'))?.value).toEqual({ threshold: 3 });
		expect(await totalCalls(restarted)).toBe(0);
	});

	it('loses at most the counts of one flush interval in a crash, never an answer', async () => {
		const clock = new ManualClock();
		const process = new ProcessState({ instanceId: 'host-a', clock });
		const row = new WorkflowRow();
		const recordedAt: number[] = [];
		let lastSaveAt = 0;
		for (let index = 0; index < 500; index++) {
			clock.advance(731);
			const report = await execute(process, row, async (store) => {
				store.metrics.record(hit);
				recordedAt.push(clock.now());
				if (index % 97 === 0) await store.caches.open('ai:Ask', limits).set(`p${index}`, `answer ${index}`);
			});
			if (report.written) lastSaveAt = clock.now();
		}
		const crashed = open(new ProcessState({ instanceId: 'host-a', clock }), row.read());
		const saved = await totalCalls(crashed);
		expect(saved).toBe(recordedAt.filter((at) => at <= lastSaveAt).length);
		const lost = recordedAt.filter((at) => at > lastSaveAt);
		expect(lost.length).toBeGreaterThan(0);
		expect(lost[lost.length - 1] - lost[0]).toBeLessThan(DEFAULT_FLUSH_INTERVAL_MS);
		for (let index = 0; index < 500; index += 97) {
			expect((await crashed.caches.open('ai:Ask', limits).get(`p${index}`))?.value).toBe(`answer ${index}`);
		}
	});

	it('loses no count when executions overlap and finish out of order across flush intervals', async () => {
		const clock = new ManualClock();
		const process = new ProcessState({ instanceId: 'host-a', clock });
		const row = new WorkflowRow();
		let recorded = 0;
		for (let round = 0; round < 40; round++) {
			// Eight executions start from the same row, record, and are saved in a scrambled order.
			const copies = Array.from({ length: 8 }, () => row.read());
			const befores = copies.map((copy) => copy[STATE_KEY]);
			const stores = copies.map((copy) => open(process, copy));
			for (const store of stores) {
				store.metrics.record(hit);
				recorded++;
			}
			clock.advance(7 * SECOND);
			for (const index of [3, 0, 7, 5, 1, 6, 2, 4]) {
				await stores[index].commit();
				row.saveIfChanged(copies[index], befores[index]);
			}
		}
		clock.advance(DEFAULT_FLUSH_INTERVAL_MS);
		await execute(process, row, () => undefined);
		expect(await totalCalls(open(new ProcessState({ instanceId: 'host-a', clock }), row.read()))).toBe(recorded);
	});

	it('writes counts once per interval when executions in flight still hold the copy before the last write', async () => {
		const clock = new ManualClock();
		const process = new ProcessState({ instanceId: 'host-a', clock });
		const row = new WorkflowRow();
		await execute(process, row, (store) => store.metrics.record(hit));
		clock.advance(DEFAULT_FLUSH_INTERVAL_MS + SECOND);
		// Eight executions started before any of them wrote: only the first to finish writes.
		const copies = Array.from({ length: 8 }, () => row.read());
		const stores = copies.map((copy) => open(process, copy));
		const written: boolean[] = [];
		for (const store of stores) {
			store.metrics.record(hit);
			written.push((await store.commit()).written);
		}
		expect(written).toEqual([true, false, false, false, false, false, false, false]);
	});

	it('writes on every change with an interval of 0, and refuses a negative interval', async () => {
		const clock = new ManualClock();
		const process = new ProcessState({ instanceId: 'host-a', clock });
		const row = new WorkflowRow();
		for (let index = 0; index < 5; index++) await execute(process, row, (store) => store.metrics.record(hit), 0);
		expect(row.saves).toBe(5);
		expect(() => open(process, {}, -1)).toThrow('flushIntervalMs');
	});
});
