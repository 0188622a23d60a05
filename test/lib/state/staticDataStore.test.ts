import { parseSnapshot, ProcessState, RecordsBudgetError, SNAPSHOT_VERSION, snapshotBudgets, STATE_KEY, StaticDataStateStore, type StateStore } from '../../../lib/state';
import { WorkflowLibrary } from '../../../lib/templates/library';
import type { MetricEvent } from '../../../lib/metrics';
import { ManualClock } from '../../../lib/shared/clock';
import type { EngineLogger } from '../../../lib/shared/logger';

const event: MetricEvent = { nodeType: 'test.node', nodeName: 'Counter', operation: 'count', durationMs: 3 };
const limits = { maxEntries: 100_000, ttlMs: 3_600_000 };

function recordingLogger(): EngineLogger & { warnings: string[] } {
	const warnings: string[] = [];
	return { warnings, warn: (message) => warnings.push(message), debug: () => undefined };
}

/** What n8n does with static data: a JSON copy in, the whole blob out, the last writer wins. */
class FakeWorkflowRow {
	staticData: Record<string, unknown> = {};
	read(): Record<string, unknown> {
		return JSON.parse(JSON.stringify(this.staticData));
	}
	write(copy: Record<string, unknown>): void {
		this.staticData = JSON.parse(JSON.stringify(copy));
	}
}

function open(process: ProcessState, staticData: Record<string, unknown>, logger = recordingLogger()) {
	return new StaticDataStateStore({ process, workflowId: 'wf1', staticData, logger });
}

async function totalCalls(store: StateStore): Promise<number> {
	const readings = await store.metrics.read();
	return readings.reduce((sum, reading) => sum + reading.counters.calls, 0);
}

describe('StaticDataStateStore', () => {
	it('loses no counter update when 50 executions interleave from the same stale snapshot', async () => {
		const clock = new ManualClock();
		const row = new FakeWorkflowRow();
		const process = new ProcessState({ instanceId: 'host-a', clock });
		const staleCopies = Array.from({ length: 50 }, () => row.read());
		const stores = staleCopies.map((copy) => open(process, copy));
		// Each execution records, then they finish (commit + save) in an order unrelated to their start.
		stores.forEach((store) => store.metrics.record(event));
		const order = [...stores.keys()].sort((a, b) => ((a * 37) % 50) - ((b * 37) % 50));
		for (const index of order) {
			await stores[index].commit();
			row.write(staleCopies[index]);
		}
		const restarted = new ProcessState({ instanceId: 'host-a', clock });
		expect(await totalCalls(open(restarted, row.read()))).toBe(50);
	});

	it('converges across processes: stale, last-writer-wins saves lose nothing once each process writes again', async () => {
		const clock = new ManualClock();
		const row = new FakeWorkflowRow();
		const processes = ['host-a', 'host-b', 'host-c'].map((instanceId) => new ProcessState({ instanceId, clock }));
		let recorded = 0;
		for (let round = 0; round < 10; round++) {
			// All three start from the same row, then save in turn: the classic lost update.
			const copies = processes.map(() => row.read());
			const stores = processes.map((process, index) => open(process, copies[index]));
			for (const store of stores) {
				store.metrics.record(event);
				recorded++;
			}
			for (let index = 0; index < stores.length; index++) {
				await stores[index].commit();
				row.write(copies[index]);
			}
		}
		for (const process of processes) {
			const copy = row.read();
			await open(process, copy).commit();
			row.write(copy);
		}
		const fresh = new ProcessState({ instanceId: 'host-z', clock });
		expect(await totalCalls(open(fresh, row.read()))).toBe(recorded);
	});

	it('keeps totals and cached answers across a restart', async () => {
		const clock = new ManualClock();
		const row = new FakeWorkflowRow();
		const before = new ProcessState({ instanceId: 'host-a', clock });
		const copy = row.read();
		const store = open(before, copy);
		for (let index = 0; index < 7; index++) store.metrics.record(event);
		await store.caches.open('ai:Ask', limits).set('prompt-hash', { text: 'cached answer' });
		await store.commit();
		row.write(copy);

		const after = new ProcessState({ instanceId: 'host-a', clock });
		const reopened = open(after, row.read());
		expect(await totalCalls(reopened)).toBe(7);
		expect((await reopened.caches.open('ai:Ask', limits).get('prompt-hash'))?.value).toEqual({ text: 'cached answer' });
		reopened.metrics.record(event);
		expect(await totalCalls(reopened)).toBe(8);
	});

	it('keeps the snapshot under its cap during a 10 MB flood of cache entries while memory keeps serving them', async () => {
		const clock = new ManualClock();
		const process = new ProcessState({ instanceId: 'host-a', clock });
		const staticData: Record<string, unknown> = {};
		const store = open(process, staticData);
		const cache = store.caches.open('ai:Ask', { maxEntries: 20_000, maxBytes: 64 * 1024 * 1024, ttlMs: 0 });
		const value = 'a'.repeat(1000);
		for (let index = 0; index < 10_000; index++) await cache.set(`key-${index}`, { text: value, index });
		for (let index = 0; index < 200; index++) store.metrics.record({ ...event, durationMs: index });
		const report = await store.commit();
		const bytes = Buffer.byteLength(JSON.stringify(staticData[STATE_KEY]));
		expect(bytes).toBeLessThanOrEqual(64 * 1024);
		expect(report.bytes).toBe(bytes);
		expect(report.droppedCacheEntries).toBeGreaterThan(9_900);
		expect((await cache.stats()).entries).toBe(10_000);
		expect((await cache.get('key-0'))?.value).toEqual({ text: value, index: 0 });
		// Metrics come first, and the entries that made it in are the most recently used.
		const snapshot = parseSnapshot(staticData[STATE_KEY]);
		expect((snapshot.m as { s: unknown[] }).s).toHaveLength(1);
		expect(snapshot.c['ai:Ask'][0][0]).toBe('key-9999');
	});

	it('persists older answers past one answer too large for the snapshot, without serialising that one', async () => {
		const process = new ProcessState({ instanceId: 'host-a', clock: new ManualClock() });
		const staticData: Record<string, unknown> = {};
		const store = open(process, staticData);
		const cache = store.caches.open('ai:Ask', { maxEntries: 100, maxBytes: 64 * 1024 * 1024, ttlMs: 0 });
		await cache.set('older-1', { text: 'first answer' });
		await cache.set('older-2', { text: 'second answer' });
		await cache.set('huge', { text: 'A'.repeat(2 * 1024 * 1024) });
		await cache.set('newest', { text: 'after the huge one' });
		const stringify = jest.spyOn(JSON, 'stringify');
		const report = await store.commit();
		const longestSerialised = Math.max(0, ...stringify.mock.results.map((result) => (typeof result.value === 'string' ? result.value.length : 0)));
		stringify.mockRestore();
		expect(longestSerialised).toBeLessThan(64 * 1024);
		expect(report.droppedCacheEntries).toBe(1);
		expect(parseSnapshot(staticData[STATE_KEY]).c['ai:Ask'].map(([key]) => key)).toEqual(['newest', 'older-2', 'older-1']);
	});

	it.each([
		['garbage', 'not an object at all'],
		['an old version', { v: 0, whatever: true }],
		['a foreign shape', { v: 1, sid: 'x', by: 'y', at: 1, c: [], m: {} }],
		['malformed metrics', { v: 1, sid: 'x', by: 'y', at: 1, c: {}, m: { s: [{ t: 1 }] } }],
		['a body that is not JSON', { v: 2, sid: 'x', by: 'y', at: 1, body: '{"m":' }],
		['a body that is not text', { v: 2, sid: 'x', by: 'y', at: 1, body: { m: {}, c: {} } }],
	])('resets %s with one warning instead of throwing', async (_label, garbage) => {
		const logger = recordingLogger();
		const staticData: Record<string, unknown> = { [STATE_KEY]: garbage, someoneElses: { keep: true } };
		const store = open(new ProcessState({ instanceId: 'host-a', clock: new ManualClock() }), staticData, logger);
		expect(logger.warnings).toHaveLength(1);
		expect(logger.warnings[0]).toMatch(/wf1.*reset/);
		expect(staticData[STATE_KEY]).toBeUndefined();
		store.metrics.record(event);
		await store.commit();
		expect(staticData.someoneElses).toEqual({ keep: true });
		expect((staticData[STATE_KEY] as { v: number }).v).toBe(SNAPSHOT_VERSION);
	});

	it('stores the content as one string, so that n8n makes no object of it observable', async () => {
		const staticData: Record<string, unknown> = {};
		const store = open(new ProcessState({ instanceId: 'host-a', clock: new ManualClock() }), staticData);
		await store.caches.open('ai:Ask', limits).set('prompt', { text: 'answer', usage: { input: 3 } });
		store.metrics.record(event);
		await store.records.set('monitor:settings', { threshold: 5 });
		await store.commit();
		const stored = staticData[STATE_KEY] as Record<string, unknown>;
		expect(Object.keys(stored).sort()).toEqual(['at', 'body', 'by', 'sid', 'v']);
		expect(Object.values(stored).every((value) => typeof value !== 'object')).toBe(true);
		const restarted = open(new ProcessState({ instanceId: 'host-b', clock: new ManualClock() }), JSON.parse(JSON.stringify(staticData)));
		expect((await restarted.caches.open('ai:Ask', limits).get('prompt'))?.value).toEqual({ text: 'answer', usage: { input: 3 } });
		expect(await totalCalls(restarted)).toBe(1);
		expect((await restarted.records.get('monitor:settings'))?.value).toEqual({ threshold: 5 });
	});

	it('reads a snapshot an older version saved as objects', async () => {
		const clock = new ManualClock();
		const legacy = { v: 1, sid: 'old', by: 'host-old', at: clock.now(), m: { s: [] }, c: { 'ai:Ask': [['prompt', { text: 'saved answer' }, clock.now(), 0, 4]] } };
		const staticData: Record<string, unknown> = { [STATE_KEY]: legacy };
		const store = open(new ProcessState({ instanceId: 'host-a', clock }), staticData);
		expect((await store.caches.open('ai:Ask', limits).get('prompt'))?.value).toEqual({ text: 'saved answer' });
		store.metrics.record(event);
		await store.commit();
		expect((staticData[STATE_KEY] as { v: number }).v).toBe(SNAPSHOT_VERSION);
		expect(parseSnapshot(staticData[STATE_KEY]).c['ai:Ask'][0][0]).toBe('prompt');
	});

	it('counts escaped quotes against the cap: answers full of quotes stay within 64 KiB as stored', async () => {
		const staticData: Record<string, unknown> = {};
		const store = open(new ProcessState({ instanceId: 'host-a', clock: new ManualClock() }), staticData);
		const cache = store.caches.open('ai:Ask', { maxEntries: 1_000, maxBytes: 64 * 1024 * 1024, ttlMs: 0 });
		// Each quote is 2 bytes in plain JSON and 4 once the JSON is stored inside a string.
		for (let index = 0; index < 400; index++) await cache.set(`key-${index}`, { text: '"\\'.repeat(100) });
		const report = await store.commit();
		const bytes = Buffer.byteLength(JSON.stringify(staticData[STATE_KEY]));
		expect(report.bytes).toBe(bytes);
		expect(bytes).toBeLessThanOrEqual(64 * 1024);
		expect(bytes).toBeGreaterThan(40 * 1024);
		expect(report.droppedCacheEntries).toBeGreaterThan(0);
	});

	it('does not rewrite static data when nothing changed since its own last write', async () => {
		const process = new ProcessState({ instanceId: 'host-a', clock: new ManualClock() });
		const staticData: Record<string, unknown> = {};
		const first = open(process, staticData);
		first.metrics.record(event);
		expect((await first.commit()).written).toBe(true);
		const written = staticData[STATE_KEY];
		const second = open(process, staticData);
		expect((await second.commit()).written).toBe(false);
		expect(staticData[STATE_KEY]).toBe(written);
	});

	it('keeps entries marked not to persist in memory only', async () => {
		const process = new ProcessState({ instanceId: 'host-a', clock: new ManualClock() });
		const staticData: Record<string, unknown> = {};
		const store = open(process, staticData);
		const cache = store.caches.open('private', limits);
		await cache.set('secret-prompt', 'answer', { persist: false });
		await store.commit();
		expect(JSON.stringify(staticData)).not.toContain('secret-prompt');
		expect((await cache.get('secret-prompt'))?.value).toBe('answer');
	});

	it('reads metrics of every workflow in the process for the "all" scope', async () => {
		const process = new ProcessState({ instanceId: 'host-a', clock: new ManualClock() });
		const one = new StaticDataStateStore({ process, workflowId: 'wf1', staticData: {}, logger: recordingLogger() });
		const two = new StaticDataStateStore({ process, workflowId: 'wf2', staticData: {}, logger: recordingLogger() });
		one.metrics.record(event);
		two.metrics.record(event);
		two.metrics.record(event);
		expect((await one.metrics.read()).map((reading) => reading.workflowId)).toEqual(['wf1']);
		const all = await one.metrics.read({ scope: 'all' });
		expect(all.map((reading) => [reading.workflowId, reading.counters.calls])).toEqual([
			['wf2', 2],
			['wf1', 1],
		]);
	});
});

describe('StaticDataStateStore records, resets and reports', () => {
	it('persists records with the snapshot and keeps them across a restart', async () => {
		const clock = new ManualClock();
		const row = new FakeWorkflowRow();
		const copy = row.read();
		const store = open(new ProcessState({ instanceId: 'host-a', clock }), copy);
		await store.records.set('monitor:settings', { latencySloMs: 1500 });
		await store.commit();
		row.write(copy);
		const reopened = open(new ProcessState({ instanceId: 'host-a', clock }), row.read());
		expect((await reopened.records.get('monitor:settings'))?.value).toEqual({ latencySloMs: 1500 });
	});

	it('resets metrics so that a concurrent stale snapshot cannot restore them', async () => {
		const clock = new ManualClock();
		const row = new FakeWorkflowRow();
		const process = new ProcessState({ instanceId: 'host-a', clock });
		const first = row.read();
		const store = open(process, first);
		for (let index = 0; index < 4; index++) store.metrics.record(event);
		await store.commit();
		row.write(first);
		const stale = row.read();
		const resetter = open(process, row.read());
		expect(await resetter.metrics.reset()).toBe(1);
		const afterStale = open(new ProcessState({ instanceId: 'host-b', clock }), stale);
		await resetter.commit();
		row.write(stale); // the stale execution saves last...
		const next = open(process, row.read()); // ...but this process remembers the reset
		expect(await totalCalls(next)).toBe(0);
		expect(await totalCalls(afterStale)).toBe(4);
	});

	it('reports every cache of the scope with its limits', async () => {
		const process = new ProcessState({ instanceId: 'host-a', clock: new ManualClock() });
		const store = open(process, {});
		await store.caches.open('ai:node:Ask', { maxEntries: 10, ttlMs: 1000 }).set('k', 'v');
		const reports = await store.caches.reports();
		expect(reports).toEqual([
			{
				workflowId: 'wf1',
				namespace: 'ai:node:Ask',
				stats: expect.objectContaining({ entries: 1, sets: 1 }),
				limits: { maxEntries: 10, maxBytes: 64 * 1024 * 1024, ttlMs: 1000 },
			},
		]);
	});

	it('hands a span start to exactly one taker', () => {
		const store = open(new ProcessState({ instanceId: 'host-a', clock: new ManualClock() }), {});
		store.process.markSpanStart('exec-1|checkout', 1000);
		expect(store.process.takeSpanStart('exec-1|checkout')).toBe(1000);
		expect(store.process.takeSpanStart('exec-1|checkout')).toBeUndefined();
	});
});

describe('StaticDataStateStore snapshot budgets', () => {
	const KIB = 1024;

	/** Bytes the persisted cache entries take in the written snapshot (its content is stored as one JSON string). */
	function cacheBytes(staticData: Record<string, unknown>): number {
		return Buffer.byteLength(JSON.stringify(JSON.stringify(parseSnapshot(staticData[STATE_KEY]).c))) - 2;
	}

	async function fillCacheAndMetrics(store: StateStore, clock: ManualClock): Promise<void> {
		const cache = store.caches.open('ai:Ask', { maxEntries: 5_000, maxBytes: 64 * 1024 * 1024, ttlMs: 0 });
		for (let index = 0; index < 500; index++) await cache.set(`prompt-${index}`, { text: 'x'.repeat(200) });
		// A day of minute buckets for many series: more than the whole snapshot could hold.
		for (let minute = 0; minute < 600; minute++) {
			for (let series = 0; series < 5; series++) store.metrics.record({ ...event, nodeName: `Node ${series}`, durationMs: minute });
			clock.advance(60_000);
		}
	}

	it('keeps the cache reserve for persisted answers when the template library is full, within the snapshot cap', async () => {
		const clock = new ManualClock();
		const staticData: Record<string, unknown> = {};
		const store = open(new ProcessState({ instanceId: 'host-a', clock }), staticData);
		const library = new WorkflowLibrary(store.records, clock);
		await library.save({ id: 'first', body: 'a'.repeat(16 * KIB) });
		await expect(library.save({ id: 'second', body: 'b'.repeat(16 * KIB) })).rejects.toThrow(/of its 24576 bytes/);
		await library.save({ id: 'second', body: 'b'.repeat(7 * KIB) });
		await fillCacheAndMetrics(store, clock);
		const report = await store.commit();
		const { records, cacheReserve } = snapshotBudgets(64 * KIB);
		expect(report.bytes).toBeLessThanOrEqual(64 * KIB);
		expect(Buffer.byteLength(JSON.stringify(parseSnapshot(staticData[STATE_KEY]).r))).toBeGreaterThan(23 * KIB);
		expect(Buffer.byteLength(JSON.stringify(parseSnapshot(staticData[STATE_KEY]).r))).toBeLessThanOrEqual(records);
		expect(cacheBytes(staticData)).toBeGreaterThan(cacheReserve - 300);
		expect(report.droppedBuckets).toBeGreaterThan(0);
	});

	it('refuses a record write past the records budget, saying what is used and the limit', async () => {
		const store = open(new ProcessState({ instanceId: 'host-a', clock: new ManualClock() }), {});
		await store.records.set('monitor:settings', { note: 'x'.repeat(20 * KIB) });
		const refused = store.records.set('monitor:alerts', { note: 'y'.repeat(12 * KIB) });
		await expect(refused).rejects.toBeInstanceOf(RecordsBudgetError);
		await expect(refused).rejects.toThrow(/^Saving "monitor:alerts" would make this workflow's records 3\d{4} bytes; they use 2\d{4} of their 32768-byte budget in static data$/);
		expect(await store.records.get('monitor:alerts')).toBeUndefined();
		// Replacing a record counts its new size, not both.
		await store.records.set('monitor:settings', { note: 'z'.repeat(30 * KIB) });
	});

	it('keeps the cache reserve even when records written by an older version pass their budget', async () => {
		const clock = new ManualClock();
		const snapshot = {
			v: 1,
			sid: 'legacy',
			at: clock.now(),
			by: 'old',
			r: { 'template:big': [{ id: 'big', body: 'q'.repeat(50 * KIB) }, clock.now()] },
			m: { s: [] },
			c: {},
		};
		const staticData: Record<string, unknown> = { [STATE_KEY]: snapshot };
		const store = open(new ProcessState({ instanceId: 'host-a', clock }), staticData);
		await fillCacheAndMetrics(store, clock);
		await store.commit();
		expect(parseSnapshot(staticData[STATE_KEY]).r?.['template:big']).toBeDefined();
		expect(cacheBytes(staticData)).toBeGreaterThan(snapshotBudgets(64 * KIB).cacheReserve - 300);
	});
});
