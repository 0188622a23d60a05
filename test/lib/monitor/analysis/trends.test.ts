import { summarize } from '../../../../lib/metrics/summary';
import { buildTrend, type MinutePoint } from '../../../../lib/monitor/analysis/trends';
import { binned, countersOf, MINUTE, minuteOf, T0, times } from './fixtures';

const HOUR = 60 * MINUTE;

function point(minuteOffset: number, ...groups: Parameters<typeof countersOf>): MinutePoint {
	return { minute: minuteOf(T0) + minuteOffset, counters: countersOf(...groups) };
}

describe('buildTrend', () => {
	it('gives one point per minute of the window, empty minutes included with 0 calls and no rates', () => {
		const points = [
			point(0, times(3, { durationMs: 100, cache: 'miss' }), times(1, { durationMs: 100, cache: 'hit', outcome: 'server' })),
			point(3, times(2, { durationMs: 400 })),
		];
		const trend = buildTrend(points, { bucket: 'minute', sinceMs: T0, untilMs: T0 + 5 * MINUTE });
		expect(trend.bucket).toBe('minute');
		expect(trend.points.map((entry) => entry.start)).toEqual([
			'2026-01-01T10:00:00.000Z',
			'2026-01-01T10:01:00.000Z',
			'2026-01-01T10:02:00.000Z',
			'2026-01-01T10:03:00.000Z',
			'2026-01-01T10:04:00.000Z',
		]);
		expect(trend.points.map((entry) => entry.calls)).toEqual([4, 0, 0, 2, 0]);
		expect(trend.points.map((entry) => entry.throughputPerMin)).toEqual([4, 0, 0, 2, 0]);
		// 1 error of 4 calls; 1 hit of 4 lookups; minute 3 used no cache.
		expect(trend.points.map((entry) => entry.errorRate)).toEqual([0.25, null, null, 0, null]);
		expect(trend.points.map((entry) => entry.hitRate)).toEqual([0.25, null, null, null, null]);
		expect(trend.points[0].latencyMs).toEqual({ p50: binned(100), p95: binned(100), p99: binned(100) });
		expect(trend.points[1].latencyMs).toEqual({ p50: null, p95: null, p99: null });
	});

	it('leaves out minute buckets outside the window', () => {
		const points = [point(-1, times(5)), point(0, times(1)), point(2, times(7))];
		const trend = buildTrend(points, { bucket: 'minute', sinceMs: T0, untilMs: T0 + 2 * MINUTE });
		expect(trend.points.map((entry) => entry.calls)).toEqual([1, 0]);
	});

	it('smooths with an EWMA (alpha 0.3 by default) that keeps its value through empty buckets', () => {
		// Error rates 0.5, (none), 0.1, 0.3 -> 0.5, 0.5, 0.3 × 0.1 + 0.7 × 0.5 = 0.38, 0.3 × 0.3 + 0.7 × 0.38 = 0.356
		const points = [
			point(0, times(1, { outcome: 'server' }), times(1)),
			point(2, times(1, { outcome: 'server' }), times(9)),
			point(3, times(3, { outcome: 'timeout' }), times(7)),
		];
		const trend = buildTrend(points, { bucket: 'minute', sinceMs: T0, untilMs: T0 + 4 * MINUTE });
		expect(trend.points.map((entry) => entry.smoothed.errorRate)).toEqual([0.5, 0.5, 0.38, 0.356]);
		// Throughput 2, 0, 10, 10 is never missing: 2, 0.3 × 0 + 0.7 × 2 = 1.4, 3 + 0.98 = 3.98, 3 + 2.786 = 5.786
		expect(trend.points.map((entry) => entry.smoothed.throughputPerMin)).toEqual([2, 1.4, 3.98, 5.786]);
		expect(trend.points.map((entry) => entry.smoothed.hitRate)).toEqual([null, null, null, null]);
		const heavier = buildTrend(points, { bucket: 'minute', sinceMs: T0, untilMs: T0 + 4 * MINUTE, alpha: 1 });
		expect(heavier.points.map((entry) => entry.smoothed.errorRate)).toEqual([0.5, 0.5, 0.1, 0.3]);
	});

	it('merges the minutes of an hour by adding counter sets, so percentiles are those of all the calls', () => {
		const points = [point(0, times(10, { durationMs: 100 })), point(30, times(10, { durationMs: 1000 })), point(61, times(6))];
		const trend = buildTrend(points, { bucket: 'hour', sinceMs: T0, untilMs: T0 + 2 * HOUR });
		expect(trend.points.map((entry) => entry.start)).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-01T11:00:00.000Z']);
		const [first, second] = trend.points;
		expect(first.calls).toBe(20);
		expect(first.throughputPerMin).toBe(0.333); // 20 calls / 60 min
		// 20 durations: rank 0.5 × 19 = 9.5 falls on the 10th (a 100 ms call), rank 0.95 × 19 = 18.05 on a 1000 ms one;
		// averaging the two minutes' p95s would give 550 ms instead.
		expect(first.latencyMs.p50).toBe(binned(100));
		expect(first.latencyMs.p95).toBe(binned(1000));
		const merged = countersOf(times(10, { durationMs: 100 }), times(10, { durationMs: 1000 }));
		expect(first.latencyMs.p99).toBe(summarize(merged).latencyMs.p99);
		expect(second.calls).toBe(6);
		expect(second.throughputPerMin).toBe(0.1);
	});

	it('divides an edge hour that the window covers only in part by the minutes covered', () => {
		const points = [point(5, times(30)), point(20, times(15))];
		// 10:00 to 10:30: half of the hour, 45 calls -> 1.5 per minute, not 0.75.
		const trend = buildTrend(points, { bucket: 'hour', sinceMs: T0, untilMs: T0 + 30 * MINUTE });
		expect(trend.points).toHaveLength(1);
		expect(trend.points[0].throughputPerMin).toBe(1.5);
		expect(trend.forecast.nextPeriodStart).toBe('2026-01-01T11:00:00.000Z');
	});

	it('forecasts the next point of a perfect line and calls its direction', () => {
		// Minute k has 10 calls, k + 1 of them failed: error rates 0.1, 0.2, 0.3, 0.4.
		const rising = [0, 1, 2, 3].map((k) => point(k, times(k + 1, { outcome: 'server' }), times(9 - k)));
		const trend = buildTrend(rising, { bucket: 'minute', sinceMs: T0, untilMs: T0 + 4 * MINUTE });
		expect(trend.points.map((entry) => entry.errorRate)).toEqual([0.1, 0.2, 0.3, 0.4]);
		expect(trend.forecast.method).toBe('holt-linear');
		expect(trend.forecast.nextPeriodStart).toBe('2026-01-01T10:04:00.000Z');
		expect(trend.forecast.values.errorRate).toBe(0.5);
		expect(trend.forecast.direction.errorRate).toBe('rising');
		// 10 calls every minute: flat.
		expect(trend.forecast.values.throughputPerMin).toBe(10);
		expect(trend.forecast.direction.throughputPerMin).toBe('flat');
		// No cache use anywhere: no values, no forecast.
		expect(trend.forecast.values.hitRate).toBeNull();
		expect(trend.forecast.direction.hitRate).toBe('unknown');
	});

	it('sees a falling series and clamps a rate forecast at 0', () => {
		// Hit rates 0.8, 0.6, 0.4, 0.2 over 10 lookups each: the line reaches 0 next.
		const falling = [0, 1, 2, 3].map((k) => point(k, times(8 - 2 * k, { cache: 'hit' }), times(2 + 2 * k, { cache: 'miss' })));
		const trend = buildTrend(falling, { bucket: 'minute', sinceMs: T0, untilMs: T0 + 4 * MINUTE });
		expect(trend.points.map((entry) => entry.hitRate)).toEqual([0.8, 0.6, 0.4, 0.2]);
		expect(trend.forecast.values.hitRate).toBe(0);
		expect(trend.forecast.direction.hitRate).toBe('falling');
		// Throughput 12, 9, 6, 3: the next point of the line.
		const slowing = [0, 1, 2, 3].map((k) => point(k, times(12 - 3 * k)));
		const slowingTrend = buildTrend(slowing, { bucket: 'minute', sinceMs: T0, untilMs: T0 + 4 * MINUTE });
		expect(slowingTrend.forecast.values.throughputPerMin).toBe(0);
		expect(slowingTrend.forecast.direction.throughputPerMin).toBe('falling');
	});

	it('calls a trend under 2% of the level flat', () => {
		// 100, 101, 102, 103 calls per minute: level 103, trend 1 (under 2.06).
		const gentle = [0, 1, 2, 3].map((k) => point(k, times(100 + k)));
		const trend = buildTrend(gentle, { bucket: 'minute', sinceMs: T0, untilMs: T0 + 4 * MINUTE });
		expect(trend.forecast.values.throughputPerMin).toBe(104);
		expect(trend.forecast.direction.throughputPerMin).toBe('flat');
		// 10, 11, 12, 13: trend 1 of level 13 is 7.7%.
		const steeper = [0, 1, 2, 3].map((k) => point(k, times(10 + k)));
		expect(buildTrend(steeper, { bucket: 'minute', sinceMs: T0, untilMs: T0 + 4 * MINUTE }).forecast.direction.throughputPerMin).toBe(
			'rising',
		);
	});

	it('has no forecast for a series with fewer than two values', () => {
		const trend = buildTrend([point(1, times(4, { durationMs: 250 }))], { bucket: 'minute', sinceMs: T0, untilMs: T0 + 3 * MINUTE });
		expect(trend.forecast.values.p95).toBeNull();
		expect(trend.forecast.direction.p95).toBe('unknown');
		expect(trend.points.map((entry) => entry.smoothed.p95)).toEqual([null, binned(250), binned(250)]);
		// Throughput has a value in every bucket (0, 4, 0).
		expect(trend.forecast.direction.throughputPerMin).not.toBe('unknown');
	});

	it('accepts a day of minutes, also when the window does not start on a minute', () => {
		const untilMs = T0 + 30_000;
		const trend = buildTrend([], { bucket: 'minute', sinceMs: untilMs - 1440 * MINUTE, untilMs });
		// The partly covered minutes at both ends are buckets of their own.
		expect(trend.points).toHaveLength(1441);
	});

	it('refuses more than 1440 buckets and malformed input with a clear error', () => {
		expect(() => buildTrend([], { bucket: 'minute', sinceMs: T0, untilMs: T0 + 1441 * MINUTE })).toThrow(
			'Expected a window of at most 1440 minute buckets, got 1441',
		);
		expect(() => buildTrend([], { bucket: 'hour', sinceMs: T0, untilMs: T0 + 61 * 24 * HOUR })).toThrow('at most 1440 hour buckets, got 1464');
		expect(() => buildTrend([], { bucket: 'minute', sinceMs: T0, untilMs: T0 })).toThrow('sinceMs < untilMs');
		expect(() => buildTrend([], { bucket: 'day' as 'hour', sinceMs: T0, untilMs: T0 + HOUR })).toThrow('"minute" or "hour"');
		expect(() => buildTrend([], { bucket: 'minute', sinceMs: T0, untilMs: T0 + HOUR, alpha: 0 })).toThrow('alpha');
		expect(() => buildTrend([{ minute: 1.5, counters: countersOf() }], { bucket: 'minute', sinceMs: T0, untilMs: T0 + HOUR })).toThrow(
			'integer minute number',
		);
	});
});
