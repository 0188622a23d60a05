import { MetricsStore, MINUTE_MS } from '../../../lib/metrics/metricsStore';
import type { MetricEvent } from '../../../lib/metrics/metricEvent';
import { ManualClock } from '../../../lib/shared/clock';
import { WorkSlicer } from '../../../lib/shared/yieldToEventLoop';

const event = (overrides: Partial<MetricEvent> = {}): MetricEvent => ({
	nodeType: 'n8n-nodes-perf-optimizer.optimizedAiCall',
	nodeName: 'Ask',
	operation: 'chat',
	durationMs: 50,
	...overrides,
});

describe('MetricsStore', () => {
	it('keeps totals and per-minute buckets per series', async () => {
		const clock = new ManualClock();
		const store = new MetricsStore({ instanceId: 'a', clock });
		store.record(event());
		store.record(event({ nodeName: 'Other' }));
		clock.advance(MINUTE_MS);
		store.record(event({ cache: 'hit' }));
		const totals = (await store.query());
		expect(totals).toHaveLength(2);
		expect(totals.find((series) => series.nodeName === 'Ask')?.counters.calls).toBe(2);
		const lastMinute = (await store.query({ sinceMs: clock.now() }));
		expect(lastMinute.find((series) => series.nodeName === 'Ask')?.counters.hits).toBe(1);
		expect(lastMinute.find((series) => series.nodeName === 'Other')?.counters.calls).toBe(0);
		const points = (await store.minuteSeries({ sinceMs: clock.now() - 5 * MINUTE_MS, untilMs: clock.now() + 1 }));
		expect(points.map((point) => point.counters.calls)).toEqual([2, 1]);
	});

	it('drops minute buckets older than the retention but keeps totals', async () => {
		const clock = new ManualClock();
		const store = new MetricsStore({ instanceId: 'a', clock, retentionMinutes: 60 });
		store.record(event());
		clock.advance(61 * MINUTE_MS);
		store.record(event());
		expect((await store.query({ sinceMs: 0 }))[0].counters.calls).toBe(1);
		expect((await store.query())[0].counters.calls).toBe(2);
	});

	it('merges copies without double counting: per instance the newer copy wins, instances add up', async () => {
		const clock = new ManualClock();
		const a = new MetricsStore({ instanceId: 'a', clock });
		const b = new MetricsStore({ instanceId: 'b', clock });
		for (let index = 0; index < 3; index++) a.record(event());
		const staleOfA = a.toJSON().json;
		a.record(event());
		for (let index = 0; index < 5; index++) b.record(event());
		b.merge(JSON.parse(JSON.stringify(a.toJSON().json)));
		b.merge(JSON.parse(JSON.stringify(staleOfA))); // an older copy changes nothing
		b.merge(JSON.parse(JSON.stringify(b.toJSON().json))); // nor does its own
		expect((await b.query())[0].counters.calls).toBe(9);
		expect((await b.query({ sinceMs: 0 }))[0].counters.calls).toBe(9);
		b.record(event());
		expect((await b.query())[0].counters.calls).toBe(10);
	});

	it('takes its own newer counts from a snapshot after a restart and keeps counting from there', async () => {
		const clock = new ManualClock();
		const before = new MetricsStore({ instanceId: 'a', clock });
		for (let index = 0; index < 4; index++) before.record(event());
		const after = new MetricsStore({ instanceId: 'a', clock });
		after.merge(JSON.parse(JSON.stringify(before.toJSON().json)));
		after.record(event());
		expect((await after.query())[0].counters.calls).toBe(5);
		expect((await after.query({ sinceMs: 0 }))[0].counters.calls).toBe(5);
	});

	it('fits its JSON into a byte budget: hour buckets first, then minute buckets newest first', async () => {
		const clock = new ManualClock();
		const store = new MetricsStore({ instanceId: 'a', clock });
		for (let minute = 0; minute < 300; minute++) {
			store.record(event({ durationMs: 10 + minute }));
			clock.advance(MINUTE_MS);
		}
		const full = store.toJSON();
		expect(full.droppedBuckets).toBe(0);
		const hours = Object.keys(full.json.s[0].hr ?? {}).map(Number);
		const minutes = Object.keys(full.json.s[0].min ?? {}).map(Number);
		// Everything an hour or more old is hourly; the rest minute by minute.
		expect(hours.length).toBeGreaterThan(0);
		expect(minutes.length).toBeGreaterThanOrEqual(60);
		expect(Math.max(...hours)).toBeLessThan(Math.min(...minutes));
		const { json, droppedBuckets } = store.toJSON(3000);
		expect(Buffer.byteLength(JSON.stringify(json))).toBeLessThanOrEqual(3000);
		expect(droppedBuckets).toBeGreaterThan(0);
		expect(Object.keys(json.s[0].hr ?? {}).map(Number)).toEqual(hours);
		const kept = Object.keys(json.s[0].min ?? {}).map(Number);
		const newest = Math.floor((clock.now() - MINUTE_MS) / MINUTE_MS);
		expect(Math.max(...kept)).toBe(newest);
		expect(kept.length + droppedBuckets).toBe(minutes.length);
		expect(Math.min(...kept)).toBe(newest - kept.length + 1);
	});

	it('refuses malformed JSON before changing anything', async () => {
		const store = new MetricsStore({ instanceId: 'a', clock: new ManualClock() });
		store.record(event());
		expect(() => store.merge({ s: [{ t: 'x', n: 'y', o: 'z', tot: { a: { n: 'many' } } }] })).toThrow(TypeError);
		expect(() => store.merge({ s: 'nope' })).toThrow('no series list');
		expect((await store.query())).toHaveLength(1);
	});

	it('stops adding series beyond its limit and says so once', async () => {
		const warnings: string[] = [];
		const store = new MetricsStore({
			instanceId: 'a',
			clock: new ManualClock(),
			maxSeries: 2,
			onSeriesLimit: (series) => warnings.push(series.nodeName),
		});
		for (const name of ['a', 'b', 'c', 'd']) store.record(event({ nodeName: name }));
		expect(store.seriesCount).toBe(2);
		expect(warnings).toEqual(['c']);
	});
});

describe('MetricsStore reset', () => {
	it('forgets counts, and stale copies from before the reset cannot bring them back', async () => {
		const clock = new ManualClock();
		const store = new MetricsStore({ instanceId: 'a', clock });
		for (let index = 0; index < 5; index++) store.record(event());
		const beforeReset = JSON.parse(JSON.stringify(store.toJSON().json));
		store.reset();
		store.merge(beforeReset);
		expect((await store.query())).toHaveLength(0);
		store.record(event());
		expect((await store.query())[0].counters.calls).toBe(1);
	});

	it('adopts a newer epoch from another copy, dropping its own older counts', async () => {
		const clock = new ManualClock();
		const resetter = new MetricsStore({ instanceId: 'a', clock });
		const other = new MetricsStore({ instanceId: 'b', clock });
		for (let index = 0; index < 3; index++) other.record(event());
		resetter.reset();
		resetter.record(event());
		other.merge(JSON.parse(JSON.stringify(resetter.toJSON().json)));
		expect(other.epoch).toBe(1);
		expect((await other.query())[0].counters.calls).toBe(1);
	});
});

describe('MetricsStore minute totals', () => {
	it('gives the same per-minute totals from its running sums as from summing the series, also after a merge', async () => {
		const clock = new ManualClock();
		const store = new MetricsStore({ instanceId: 'a', clock });
		const other = new MetricsStore({ instanceId: 'b', clock });
		for (let minute = 0; minute < 5; minute++) {
			store.record(event({ nodeName: 'A', durationMs: 10 + minute }));
			store.record(event({ nodeName: 'B', cache: 'hit' }));
			other.record(event({ nodeName: 'A' }));
			clock.advance(MINUTE_MS);
		}
		const window = { sinceMs: 0, untilMs: clock.now() + 1 };
		const viaTotals = async () => (await store.minuteSeries(window)).map((point) => [point.minute, point.counters.calls, point.counters.hits]);
		const viaSeries = async () => (await store.minuteSeries(window, () => true)).map((point) => [point.minute, point.counters.calls, point.counters.hits]);
		expect(await viaTotals()).toEqual(await viaSeries());
		expect((await viaTotals()).map(([, calls]) => calls)).toEqual([2, 2, 2, 2, 2]);
		store.merge(JSON.parse(JSON.stringify(other.toJSON().json)));
		expect(await viaTotals()).toEqual(await viaSeries());
		expect((await viaTotals()).map(([, calls]) => calls)).toEqual([3, 3, 3, 3, 3]);
		store.record(event());
		expect(await viaTotals()).toEqual(await viaSeries());
	});
});

describe('MetricsStore reads in time slices', () => {
	const manySeries = (clock: ManualClock, count: number) => {
		const store = new MetricsStore({ instanceId: 'a', clock });
		for (let series = 0; series < count; series++) store.record(event({ nodeName: `Node ${series}` }));
		return store;
	};

	it('lets other work run between series while summing a window', async () => {
		const clock = new ManualClock();
		const store = manySeries(clock, 50);
		let ticks = 0;
		const ticker = setInterval(() => ticks++, 0);
		// A budget of 0 yields after every series: each yield is a turn of the event loop.
		const readings = await store.query({ sinceMs: 0 }, new WorkSlicer(0));
		const points = await store.minuteSeries({ sinceMs: 0, untilMs: clock.now() + 1 }, () => true, new WorkSlicer(0));
		clearInterval(ticker);
		expect(ticks).toBeGreaterThan(0);
		expect(readings).toHaveLength(50);
		expect(readings.every((reading) => reading.counters.calls === 1)).toBe(true);
		expect(points.map((point) => point.counters.calls)).toEqual([50]);
	});

	it('never keeps per-minute totals rebuilt while events were being recorded', async () => {
		const clock = new ManualClock();
		const store = manySeries(clock, 20);
		// A merge makes the per-minute totals derived data to rebuild on the next read.
		store.merge(JSON.parse(JSON.stringify(new MetricsStore({ instanceId: 'b', clock }).toJSON().json)));
		const window = { sinceMs: 0, untilMs: clock.now() + 1 };
		const reading = store.minuteSeries(window, undefined, new WorkSlicer(0));
		// Recorded while the rebuild yields, into a series it has already summed.
		await new Promise((resolve) => setImmediate(resolve));
		store.record(event({ nodeName: 'Node 0' }));
		await reading;
		const totals = (await store.minuteSeries(window)).map((point) => point.counters.calls);
		const summed = (await store.minuteSeries(window, () => true)).map((point) => point.counters.calls);
		expect(totals).toEqual([21]);
		expect(totals).toEqual(summed);
	});
});
