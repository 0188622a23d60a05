import { MetricsStore, MINUTE_MS } from '../../../lib/metrics/metricsStore';
import type { MetricEvent } from '../../../lib/metrics/metricEvent';
import { ManualClock } from '../../../lib/shared/clock';

const event = (overrides: Partial<MetricEvent> = {}): MetricEvent => ({
	nodeType: 'n8n-nodes-perf-optimizer.optimizedAiCall',
	nodeName: 'Ask',
	operation: 'chat',
	durationMs: 50,
	cache: 'hit',
	...overrides,
});

const HOUR_MS = 60 * MINUTE_MS;
const copy = (store: MetricsStore) => JSON.parse(JSON.stringify(store.toJSON().json));
const callsIn = async (store: MetricsStore, sinceMs: number, untilMs?: number) =>
	(await store.query({ sinceMs, untilMs })).reduce((sum, series) => sum + series.counters.calls, 0);

/** A store that recorded `perMinute` events every minute for `minutes` minutes, from 00:00. */
function busyStore(instanceId: string, clock: ManualClock, minutes: number, perMinute = 3, nodeNames = ['Ask']): MetricsStore {
	const store = new MetricsStore({ instanceId, clock });
	for (let minute = 0; minute < minutes; minute++) {
		for (const nodeName of nodeNames) {
			for (let index = 0; index < perMinute; index++) store.record(event({ nodeName, durationMs: 20 + ((minute * 7 + index) % 400) }));
		}
		clock.advance(MINUTE_MS);
	}
	return store;
}

describe('MetricsStore hour buckets', () => {
	it('keeps 24 hours of a busy series in a few KB, every count still in the windows', async () => {
		const clock = new ManualClock();
		const store = busyStore('a', clock, 24 * 60);
		const json = store.toJSON();
		const bytes = Buffer.byteLength(JSON.stringify(json.json));
		// By minute a day takes about 150 KB with this spread of latencies; here 22 or 23 hours take about 6 KB
		// and the last one or two hours by minute about 9 KB.
		expect(bytes).toBeLessThan(16_000);
		expect(Buffer.byteLength(JSON.stringify(json.json.s[0].hr))).toBeLessThan(7_000);
		expect(Object.keys(json.json.s[0].hr ?? {}).length).toBeGreaterThanOrEqual(22);
		expect(Object.keys(json.json.s[0].min ?? {}).length).toBeLessThanOrEqual(120);
		expect(await callsIn(store, 0)).toBe(24 * 60 * 3);
		// The last hour is still minute by minute.
		expect(await callsIn(store, clock.now() - 30 * MINUTE_MS)).toBe(30 * 3);
		const restarted = new MetricsStore({ instanceId: 'a', clock });
		restarted.merge(copy(store));
		expect(await callsIn(restarted, 0)).toBe(24 * 60 * 3);
		expect(await callsIn(restarted, clock.now() - 30 * MINUTE_MS)).toBe(30 * 3);
		const points = await restarted.minuteSeries({ sinceMs: 0, untilMs: clock.now() });
		expect(points.reduce((sum, point) => sum + point.counters.calls, 0)).toBe(24 * 60 * 3);
	});

	it('never counts twice when a copy merged minute by minute comes back as hours', async () => {
		const clock = new ManualClock();
		const a = busyStore('a', clock, 50);
		const b = new MetricsStore({ instanceId: 'b', clock });
		b.merge(copy(a)); // a's first 50 minutes, minute by minute
		for (let minute = 0; minute < 130; minute++) {
			a.record(event());
			clock.advance(MINUTE_MS);
		}
		const folded = copy(a);
		expect(Object.keys(folded.s[0].hr ?? {})).toContain(String(Math.floor((clock.now() - 180 * MINUTE_MS) / HOUR_MS) * 60));
		b.merge(folded); // the same hour, now as one bucket, next to b's own minute copies of it
		b.merge(copy(a));
		expect(await callsIn(b, 0)).toBe(50 * 3 + 130);
		expect((await b.query())[0].counters.calls).toBe(50 * 3 + 130);
		const points = await b.minuteSeries({ sinceMs: 0, untilMs: clock.now() });
		expect(points.reduce((sum, point) => sum + point.counters.calls, 0)).toBe(50 * 3 + 130);
	});

	it('takes an old unmerged copy into hours it already merged without losing or adding counts', async () => {
		const clock = new ManualClock();
		const a = busyStore('a', clock, 40);
		const staleMinutes = copy(a);
		for (let minute = 0; minute < 200; minute++) {
			a.record(event());
			clock.advance(MINUTE_MS);
		}
		a.merge(staleMinutes); // its own older copy, minute by minute, into hours
		expect(await callsIn(a, 0)).toBe(40 * 3 + 200);
	});

	it('puts an event dated inside a merged hour into that hour', async () => {
		const clock = new ManualClock();
		const start = clock.now();
		const store = busyStore('a', clock, 180, 1);
		store.record(event({ at: start + 10 * MINUTE_MS }));
		const hours = store.toJSON().json.s[0].hr ?? {};
		expect(Object.keys(hours)).toContain(String(start / MINUTE_MS));
		expect(await callsIn(store, start, start + HOUR_MS)).toBe(61);
	});

	it('refuses an hour bucket that does not start an hour', () => {
		const store = new MetricsStore({ instanceId: 'a', clock: new ManualClock() });
		expect(() => store.merge({ s: [{ t: 'x', n: 'y', o: 'z', tot: {}, hr: { '61': { a: { n: 1 } } } }] })).toThrow('does not start an hour');
	});
});
