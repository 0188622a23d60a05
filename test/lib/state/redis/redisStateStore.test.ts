import Redis from 'ioredis';
import { COUNTER_FIELDS, MINUTE_MS, type CounterSet, type MetricEvent } from '../../../../lib/metrics';
import { ProcessState, StaticDataStateStore, type StateStore } from '../../../../lib/state';
import { ManualClock } from '../../../../lib/shared/clock';
import { startRedisServer, type RedisTestServer } from '../../../helpers/redisServer';
import { delay, recordingLogger, RedisKit } from './redisTestKit';

let server: RedisTestServer;
const kit = new RedisKit(() => server);
let raw: Redis;

beforeAll(async () => {
	server = await startRedisServer();
	raw = new Redis({ port: server.port, lazyConnect: true });
	await raw.connect();
});

afterAll(async () => {
	await kit.closeAll();
	raw?.disconnect();
	await server?.stop();
});

const event: MetricEvent = { nodeType: 'test.node', nodeName: 'Ask', operation: 'chat', durationMs: 3 };

function expectSameCounters(actual: CounterSet, expected: CounterSet): void {
	for (const field of COUNTER_FIELDS) expect([field, actual[field]]).toEqual([field, expect.closeTo(expected[field], 9)]);
	expect(actual.errorsByClass).toEqual(expected.errorsByClass);
	expect(new Map([...actual.latency].sort())).toEqual(new Map([...expected.latency].sort()));
}

/** The same events into the static-data store, as the reference for what a reader must get back. */
function reference(events: MetricEvent[], clock = new ManualClock(Date.now())): StateStore {
	const store = new StaticDataStateStore({
		process: new ProcessState({ instanceId: 'reference', clock }),
		workflowId: 'wf1',
		staticData: {},
		logger: recordingLogger(),
	});
	for (const item of events) store.metrics.record(item);
	return store;
}

describe('RedisStateStore caches', () => {
	const limits = { maxEntries: 100, ttlMs: 60_000 };

	it('returns entries in the in-memory cache shape and counts hits, misses and sets', async () => {
		const store = kit.open(kit.connect(kit.newPrefix()));
		const cache = store.caches.open('ai:node:Ask', limits);
		const before = Date.now();
		await cache.set('a1b2', { text: 'answer', tokens: [1, 2] });
		await cache.set('private', 'kept in memory', { persist: false, ttlMs: 0 });
		const entry = await cache.get('a1b2');
		expect(entry).toEqual({
			value: { text: 'answer', tokens: [1, 2] },
			storedAt: expect.any(Number),
			expiresAt: entry!.storedAt + 60_000,
			persist: true,
			size: 'a1b2'.length + Buffer.byteLength(JSON.stringify({ text: 'answer', tokens: [1, 2] })),
		});
		expect(entry!.storedAt).toBeGreaterThanOrEqual(before - 1000);
		expect(await cache.get('private')).toMatchObject({ value: 'kept in memory', expiresAt: 0, persist: false });
		expect(await cache.get('missing')).toBeUndefined();
		expect(await cache.delete('a1b2')).toBe(true);
		expect(await cache.delete('a1b2')).toBe(false);
		expect(await cache.get('a1b2')).toBeUndefined();
		expect(await cache.stats()).toEqual({
			entries: 1,
			bytes: 'private'.length + Buffer.byteLength('"kept in memory"'),
			hits: 2,
			misses: 2,
			sets: 2,
			evictions: 0,
			expirations: 0,
		});
	});

	it('expires entries after their TTL and counts the expirations', async () => {
		const cache = kit.open(kit.connect(kit.newPrefix())).caches.open('short', { maxEntries: 10, ttlMs: 60 });
		await cache.set('soon', 1);
		await cache.set('later', 2, { ttlMs: 60_000 });
		expect((await cache.get('soon'))?.value).toBe(1);
		await delay(120);
		expect(await cache.get('soon')).toBeUndefined();
		expect((await cache.get('later'))?.value).toBe(2);
		expect(await cache.stats()).toMatchObject({ entries: 1, expirations: 1, hits: 2, misses: 1 });
	});

	it('evicts the oldest entries beyond maxEntries and maxBytes, even within one millisecond', async () => {
		const store = kit.open(kit.connect(kit.newPrefix()));
		const byCount = store.caches.open('count', { maxEntries: 3, ttlMs: 0 });
		await Promise.all(['k1', 'k2', 'k3', 'k4', 'k5'].map((key) => byCount.set(key, key)));
		expect(await byCount.get('k1')).toBeUndefined();
		expect(await byCount.get('k2')).toBeUndefined();
		expect((await byCount.get('k5'))?.value).toBe('k5');
		expect(await byCount.stats()).toMatchObject({ entries: 3, evictions: 2 });

		// Each entry is 2 (key) + 12 (JSON of a 10-character string) = 14 bytes; 40 bytes hold two.
		const byBytes = store.caches.open('bytes', { maxEntries: 100, maxBytes: 40, ttlMs: 0 });
		for (const key of ['b1', 'b2', 'b3']) await byBytes.set(key, 'x'.repeat(10));
		await byBytes.set('hg', 'x'.repeat(100)); // larger than the whole cache: never kept, nothing evicted for it
		expect(await byBytes.stats()).toMatchObject({ entries: 2, bytes: 28, evictions: 1, sets: 4 });
		expect(await byBytes.get('hg')).toBeUndefined();
		expect(await byBytes.get('b1')).toBeUndefined();
	});

	it('replacing an entry keeps one copy and the byte count right', async () => {
		const cache = kit.open(kit.connect(kit.newPrefix())).caches.open('replace', { maxEntries: 2, ttlMs: 0 });
		await cache.set('k', 'first');
		await cache.set('k', 'second!');
		await cache.set('j', 'x');
		expect((await cache.get('k'))?.value).toBe('second!');
		expect(await cache.stats()).toMatchObject({ entries: 2, bytes: 1 + 9 + 1 + 3, evictions: 0 });
	});

	it('shares entries between processes and reports every cache of the scope with its limits', async () => {
		const prefix = kit.newPrefix();
		const one = kit.open(kit.connect(prefix), 'wf1');
		const other = kit.open(kit.connect(prefix), 'wf2', new ProcessState({ instanceId: 'host-b' }));
		await one.caches.open('ai:node:Ask', { maxEntries: 10, ttlMs: 1000 }).set('k', 'v');
		expect((await kit.open(kit.connect(prefix), 'wf1').caches.open('ai:node:Ask', limits).get('k'))?.value).toBe('v');
		await other.caches.open('ai:workflow', { maxEntries: 5, maxBytes: 4096, ttlMs: 0 }).get('nothing');
		expect(await one.caches.reports()).toEqual([
			{
				workflowId: 'wf1',
				namespace: 'ai:node:Ask',
				stats: expect.objectContaining({ entries: 1, sets: 1, hits: 1 }),
				limits: { maxEntries: 100, maxBytes: 64 * 1024 * 1024, ttlMs: 60_000 },
			},
		]);
		const all = await other.caches.reports('all');
		expect(all.map((report) => [report.workflowId, report.namespace, report.limits])).toEqual([
			['wf1', 'ai:node:Ask', { maxEntries: 100, maxBytes: 64 * 1024 * 1024, ttlMs: 60_000 }],
			['wf2', 'ai:workflow', { maxEntries: 5, maxBytes: 4096, ttlMs: 0 }],
		]);
	});

	it('keeps working when its bookkeeping lost track of an entry', async () => {
		const prefix = kit.newPrefix();
		const cache = kit.open(kit.connect(prefix)).caches.open('ghosts', { maxEntries: 10, ttlMs: 0 });
		await cache.set('real', 1);
		// An expired member with no recorded size, as a manual cleanup could leave behind.
		await raw.zadd(`${prefix}ce:wf1:ghosts`, 1, 'ghost');
		await raw.zadd(`${prefix}ci:wf1:ghosts`, 0, 'ghost');
		expect(await cache.stats()).toMatchObject({ entries: 1, expirations: 1, bytes: 5 });
		await cache.set('another', 2);
		expect((await cache.get('real'))?.value).toBe(1);
	});

	it('refuses limits the in-memory cache refuses', () => {
		const store = kit.open(kit.connect(kit.newPrefix()));
		expect(() => store.caches.open('bad', { maxEntries: 0, ttlMs: 1 })).toThrow(/maxEntries/);
		expect(() => store.caches.open('bad', { maxEntries: 1, ttlMs: -1 })).toThrow(/ttlMs/);
	});
});

describe('RedisStateStore records', () => {
	it('gets, lists by prefix, and deletes records shaped as the in-memory ones', async () => {
		const prefix = kit.newPrefix();
		const store = kit.open(kit.connect(prefix));
		await store.records.set('monitor:settings', { latencySloMs: 1500 });
		await store.records.set('templates:b', 'second');
		await store.records.set('templates:a', ['first']);
		const reader = kit.open(kit.connect(prefix), 'wf1', new ProcessState({ instanceId: 'host-b' }));
		expect(await reader.records.get('monitor:settings')).toEqual({
			key: 'monitor:settings',
			value: { latencySloMs: 1500 },
			updatedAt: expect.any(Number),
		});
		expect((await reader.records.list('templates:')).map((entry) => [entry.key, entry.value])).toEqual([
			['templates:a', ['first']],
			['templates:b', 'second'],
		]);
		expect(await reader.records.delete('templates:a')).toBe(true);
		expect(await reader.records.delete('templates:a')).toBe(false);
		expect(await store.records.get('templates:a')).toBeUndefined();
		expect(await kit.open(kit.connect(prefix), 'other-workflow').records.list()).toEqual([]);
	});

	it('stamps every write later than the one it replaces, even within a millisecond', async () => {
		const store = kit.open(kit.connect(kit.newPrefix()));
		const stamps: number[] = [];
		for (let index = 0; index < 20; index++) {
			await store.records.set('k', index);
			stamps.push((await store.records.get('k'))!.updatedAt);
		}
		for (let index = 1; index < stamps.length; index++) expect(stamps[index]).toBeGreaterThan(stamps[index - 1]);
	});
});

describe('RedisStateStore metrics', () => {
	const now = Date.now();
	const events: MetricEvent[] = [
		{ ...event, durationMs: 12.25, costUsd: 0.1, tokensIn: 100, tokensOut: 20, cache: 'miss', at: now - 5 * MINUTE_MS },
		{ ...event, durationMs: 0.4, costUsd: 0.2, costSavedUsd: 0.1, tokensSaved: 120, cache: 'hit', at: now - 3 * MINUTE_MS },
		{ ...event, durationMs: 950, outcome: 'timeout', retries: 2, at: now - 3 * MINUTE_MS },
		{ ...event, durationMs: 33, outcome: 'rate_limit', costUsd: null, at: now - MINUTE_MS },
		{ ...event, nodeName: 'Render', operation: 'render', durationMs: 2, items: 40, bytesRaw: 900, bytesCompressed: 300, at: now },
	];

	it('reads back the sums, floats, error classes and latency bins the in-memory store has', async () => {
		const store = kit.open(kit.connect(kit.newPrefix()));
		for (const item of events) store.metrics.record(item);
		expect((await store.commit()).written).toBe(true);
		const expected = await reference(events).metrics.read();
		const actual = await store.metrics.read();
		expect(actual.map((reading) => reading.nodeName)).toEqual(['Ask', 'Render']);
		for (const reading of actual) {
			const match = expected.find((candidate) => candidate.nodeName === reading.nodeName)!;
			expect(reading).toMatchObject({ workflowId: 'wf1', nodeType: match.nodeType, operation: match.operation });
			expectSameCounters(reading.counters, match.counters);
		}
	});

	it('sums windows and minute series as the in-memory store does', async () => {
		const store = kit.open(kit.connect(kit.newPrefix()));
		for (const item of events) store.metrics.record(item);
		const expected = reference(events, new ManualClock(now));
		const window = { sinceMs: now - 4 * MINUTE_MS, untilMs: now - MINUTE_MS / 2 };
		const [actualWindow, expectedWindow] = [await store.metrics.read(window), await expected.metrics.read(window)];
		expect(actualWindow.find((reading) => reading.nodeName === 'Ask')!.counters.calls).toBe(3);
		expectSameCounters(actualWindow[0].counters, expectedWindow.find((reading) => reading.nodeName === 'Ask')!.counters);

		const series = { sinceMs: now - 10 * MINUTE_MS, untilMs: now + 1 };
		const actualSeries = await store.metrics.minuteSeries(series);
		const expectedSeries = await expected.metrics.minuteSeries(series);
		expect(actualSeries.map((point) => point.minute)).toEqual(expectedSeries.map((point) => point.minute));
		actualSeries.forEach((point, index) => expectSameCounters(point.counters, expectedSeries[index].counters));
		const onlyRender = await store.metrics.minuteSeries(series, (id) => id.nodeName === 'Render' && id.workflowId === 'wf1');
		expect(onlyRender.map((point) => [point.minute, point.counters.items])).toEqual([[Math.floor(now / MINUTE_MS), 40]]);
	});

	it('lets minute buckets expire by themselves after the retention and keeps the all-time totals', async () => {
		const prefix = kit.newPrefix();
		const store = kit.open(kit.connect(prefix, { metricsRetentionMinutes: 60 }));
		store.metrics.record({ ...event, at: now });
		store.metrics.record({ ...event, at: now - 2 * 3_600_000 }); // already past retention: totals only
		await store.commit();
		const minuteKeys = (await raw.keys(`${prefix}m:*`)).filter((key) => !key.endsWith(':all'));
		expect(minuteKeys).toHaveLength(1);
		const ttlMs = await raw.pttl(minuteKeys[0]);
		expect(ttlMs).toBeGreaterThan(60 * MINUTE_MS);
		expect(ttlMs).toBeLessThanOrEqual(72 * MINUTE_MS);
		expect(await raw.pttl((await raw.keys(`${prefix}m:*:all`))[0])).toBe(-1);
		expect((await store.metrics.read())[0].counters.calls).toBe(2);
	});

	it('reads and resets one workflow or every workflow', async () => {
		const prefix = kit.newPrefix();
		const one = kit.open(kit.connect(prefix), 'wf1');
		const two = kit.open(kit.connect(prefix), 'wf2', new ProcessState({ instanceId: 'host-b' }));
		one.metrics.record(event);
		two.metrics.record(event);
		two.metrics.record(event);
		await Promise.all([one.commit(), two.commit()]);
		expect((await one.metrics.read()).map((reading) => [reading.workflowId, reading.counters.calls])).toEqual([['wf1', 1]]);
		expect((await one.metrics.read({ scope: 'all' })).map((reading) => [reading.workflowId, reading.counters.calls])).toEqual([
			['wf1', 1],
			['wf2', 2],
		]);
		expect(await one.metrics.reset()).toBe(1);
		expect(await one.metrics.read()).toEqual([]);
		expect((await two.metrics.read()).map((reading) => reading.counters.calls)).toEqual([2]);
		one.metrics.record(event); // buffered in this process, and forgotten by its reset
		expect(await one.metrics.reset('all')).toBe(2);
		expect(await one.metrics.read({ scope: 'all' })).toEqual([]);
		for (const pattern of ['m:*', 'mi:*', 'series:*']) expect(await raw.keys(prefix + pattern)).toEqual([]);
	});

	it('sends what is still buffered when the connection closes', async () => {
		const prefix = kit.newPrefix();
		const connection = kit.connect(prefix);
		const store = kit.open(connection);
		store.metrics.record(event);
		store.metrics.record(event);
		await connection.close();
		expect((await kit.open(kit.connect(prefix)).metrics.read()).map((reading) => reading.counters.calls)).toEqual([2]);
	});

	it('loses no count when 200 writers on four connections record and commit at once', async () => {
		const prefix = kit.newPrefix();
		const connections = Array.from({ length: 4 }, () => kit.connect(prefix));
		const stores = Array.from({ length: 200 }, (_, index) =>
			kit.open(connections[index % 4], `wf${index % 3}`, new ProcessState({ instanceId: `host-${index % 4}` })),
		);
		const perWriter = 25;
		await Promise.all(
			stores.map(async (store, index) => {
				for (let round = 0; round < perWriter; round++) {
					store.metrics.record({ ...event, durationMs: 1 + ((index * 7 + round) % 50) * 0.37, costUsd: 0.0001, tokensIn: 3 });
					if (round % 10 === 9) await store.commit();
				}
				await store.commit();
			}),
		);
		const totals = await stores[0].metrics.read({ scope: 'all' });
		const sum = (pick: (counters: CounterSet) => number) => totals.reduce((total, reading) => total + pick(reading.counters), 0);
		expect(sum((counters) => counters.calls)).toBe(200 * perWriter);
		expect(sum((counters) => counters.tokensIn)).toBe(200 * perWriter * 3);
		expect(sum((counters) => counters.costUsd)).toBeCloseTo(200 * perWriter * 0.0001, 9);
		expect(sum((counters) => [...counters.latency.values()].reduce((a, b) => a + b, 0))).toBe(200 * perWriter);
		const minutes = await stores[0].metrics.minuteSeries({ sinceMs: Date.now() - 5 * MINUTE_MS, untilMs: Date.now() + 1, scope: 'all' });
		expect(minutes.reduce((total, point) => total + point.counters.calls, 0)).toBe(200 * perWriter);
	});
});

describe('RedisStateStore rate limiter', () => {
	it('grants 5 requests a minute at once and makes the 6th wait, on one bucket shared by two processes', async () => {
		const prefix = kit.newPrefix();
		const limits = { requestsPerMinute: 5 };
		const first = kit.open(kit.connect(prefix)).limiters.open('credential', limits);
		const second = kit.open(kit.connect(prefix), 'wf2', new ProcessState({ instanceId: 'host-b' })).limiters.open('credential', limits);
		expect(await Promise.all([first.acquire(1), first.acquire(1), first.acquire(1), second.acquire(1), second.acquire(1)])).toEqual([
			0, 0, 0, 0, 0,
		]);
		const abort = new AbortController();
		const sixth = second.acquire(1, abort.signal);
		const state = await Promise.race([sixth.then(() => 'granted'), delay(300).then(() => 'waiting')]);
		expect(state).toBe('waiting');
		abort.abort(new Error('execution cancelled'));
		await expect(sixth).rejects.toThrow('execution cancelled');
		// The cancelled caller gave its reservation back: the bucket is empty, not in debt (plus ~0.03 of refill).
		expect(Number(await raw.hget(`${prefix}rl:credential`, 'requests'))).toBeCloseTo(0, 1);
		// Another key has a budget of its own.
		expect(await kit.open(kit.connect(prefix)).limiters.open('other', limits).acquire(1)).toBe(0);
	});

	it('waits for the refill and returns the time waited', async () => {
		const limiter = kit.open(kit.connect(kit.newPrefix())).limiters.open('credential', { tokensPerMinute: 60_000 });
		expect(await limiter.acquire(60_000)).toBe(0);
		const started = Date.now();
		const waited = await limiter.acquire(100); // 1000 tokens a second: 100 ms
		expect(waited).toBeGreaterThanOrEqual(95);
		expect(Date.now() - started).toBeGreaterThanOrEqual(90);
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it('lets a request bigger than a minute budget through once the bucket is full, leaving debt', async () => {
		const limiter = kit.open(kit.connect(kit.newPrefix())).limiters.open('credential', { tokensPerMinute: 100 });
		expect(await limiter.acquire(250)).toBe(0);
		const abort = new AbortController();
		const next = limiter.acquire(1, abort.signal);
		expect(await Promise.race([next.then(() => 'granted'), delay(200).then(() => 'waiting')])).toBe('waiting');
		abort.abort(new Error('stop'));
		await expect(next).rejects.toThrow('stop');
	});

	it('checks its input as the in-process limiter does', async () => {
		const limiter = kit.open(kit.connect(kit.newPrefix())).limiters.open('credential', { requestsPerMinute: 5 });
		await expect(limiter.acquire(-1)).rejects.toThrow(TypeError);
		expect(() => kit.open(kit.connect(kit.newPrefix())).limiters.open('x', { requestsPerMinute: -1 })).toThrow(/requestsPerMinute/);
	});
});

describe('RedisStateStore coalescing', () => {
	it('runs the work once for 1,000 concurrent identical calls from two processes', async () => {
		const prefix = kit.newPrefix();
		const stores = [kit.open(kit.connect(prefix)), kit.open(kit.connect(prefix), 'wf2', new ProcessState({ instanceId: 'host-b' }))];
		let runs = 0;
		const work = async () => {
			runs++;
			await delay(150);
			return { answer: 42, usage: { input: 10 } };
		};
		const results = await Promise.all(Array.from({ length: 1000 }, (_, index) => stores[index % 2].caches.coalesce('request-hash', work)));
		expect(runs).toBe(1);
		expect(results.filter((result) => !result.shared)).toHaveLength(1);
		for (const result of results) expect(result.value).toEqual({ answer: 42, usage: { input: 10 } });
	});

	it('shares a failure only inside its process: a waiting process then runs the work itself', async () => {
		const prefix = kit.newPrefix();
		const failing = kit.open(kit.connect(prefix));
		const waiting = kit.open(kit.connect(prefix), 'wf1', new ProcessState({ instanceId: 'host-b' }));
		const first = failing.caches.coalesce('key', async () => {
			await delay(100);
			throw new Error('provider said no');
		});
		const firstWaiter = failing.caches.coalesce('key', async () => 'never runs');
		await delay(20);
		const second = waiting.caches.coalesce('key', async () => 'from the second process');
		await expect(first).rejects.toThrow('provider said no');
		await expect(firstWaiter).rejects.toThrow('provider said no');
		expect(await second).toEqual({ value: 'from the second process', shared: false });
	});

	it('keeps the lock of a run longer than the lock TTL, and a waiter takes over after its process dies', async () => {
		const prefix = kit.newPrefix();
		const options = { lockTtlMs: 300 };
		const slow = kit.open(kit.connect(prefix, options));
		const waiter = kit.open(kit.connect(prefix, options), 'wf1', new ProcessState({ instanceId: 'host-b' }));
		let runs = 0;
		const results = await Promise.all([
			slow.caches.coalesce('slow', async () => {
				runs++;
				await delay(900);
				return 'slow answer';
			}),
			delay(20).then(() => waiter.caches.coalesce('slow', async () => `run ${++runs}`)),
		]);
		expect(runs).toBe(1);
		expect(results).toEqual([
			{ value: 'slow answer', shared: false },
			{ value: 'slow answer', shared: true },
		]);

		const dying = kit.connect(prefix, options);
		const hung = kit.open(dying).caches.coalesce('crash', () => new Promise<string>(() => undefined));
		hung.catch(() => undefined);
		await delay(50);
		const started = Date.now();
		const takeOver = waiter.caches.coalesce('crash', async () => 'taken over');
		dying.client.disconnect(); // the holder's process is gone: nobody renews its lock
		expect(await takeOver).toEqual({ value: 'taken over', shared: false });
		expect(Date.now() - started).toBeLessThan(2000);
	});
});
