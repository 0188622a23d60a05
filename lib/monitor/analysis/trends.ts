import { CounterSet, MINUTE_MS, summarize } from '../../metrics';
import { ewma } from './ewma';
import { holtLinear, trendDirection, type TrendDirection } from './holtLinear';
import { roundTo } from './format';

export type TrendBucket = 'minute' | 'hour';

export interface TrendOptions {
	bucket: TrendBucket;
	/** Inclusive start (epoch ms); the minute containing it is included, as in the metrics store. */
	sinceMs: number;
	/** Exclusive end (epoch ms); the minute containing it is included, as in the metrics store. */
	untilMs: number;
	/** Weight of the newest bucket in the smoothed series. @default 0.3 */
	alpha?: number;
}

/** A minute bucket as the metrics store returns it (`minute` = epoch ms / 60 000). */
export interface MinutePoint {
	minute: number;
	counters: CounterSet;
}

export interface TrendPoint {
	/** The bucket's start (UTC minute or hour), ISO 8601. */
	start: string;
	calls: number;
	throughputPerMin: number;
	/** errors / calls, 0..1; null for a bucket without calls. */
	errorRate: number | null;
	/** Null when nothing in the bucket used a cache. */
	hitRate: number | null;
	/** Each null for a bucket without calls. */
	latencyMs: { p50: number | null; p95: number | null; p99: number | null };
	/** EWMA of each series up to this bucket; buckets without a value keep the previous average. */
	smoothed: { p95: number | null; throughputPerMin: number; errorRate: number | null; hitRate: number | null };
}

type ForecastSeries = 'p95' | 'throughputPerMin' | 'errorRate' | 'hitRate';

export interface TrendForecast {
	method: 'holt-linear';
	/** Start of the bucket after the window. */
	nextPeriodStart: string;
	/** Null for a series with fewer than two values. */
	values: Record<ForecastSeries, number | null>;
	direction: Record<ForecastSeries, TrendDirection>;
}

export interface Trend {
	bucket: TrendBucket;
	points: TrendPoint[];
	forecast: TrendForecast;
}

/** A day of minutes: the longest window the metrics store keeps, and more points than a chart can show anyway. */
export const MAX_TREND_BUCKETS = 1440;
export const DEFAULT_TREND_ALPHA = 0.3;

const BUCKET_MINUTES: Record<TrendBucket, number> = { minute: 1, hour: 60 };

const SERIES: readonly ForecastSeries[] = ['p95', 'throughputPerMin', 'errorRate', 'hitRate'];

/**
 * Per-bucket readings, their smoothed values and a one-bucket forecast, from the store's minute buckets.
 *
 * Hour buckets add up the minute counter sets (latency bins included), so an hour's p95 is the p95 of all its
 * calls, not an average of minute p95s. Every bucket of the window is present, empty ones with 0 calls, so the
 * x axis of a chart is regular. An edge hour that the window covers only in part (the current hour, usually)
 * divides its calls by the minutes covered, so its throughput is not understated.
 */
export function buildTrend(points: readonly MinutePoint[], options: TrendOptions): Trend {
	const { bucket, sinceMs, untilMs } = options;
	const alpha = options.alpha ?? DEFAULT_TREND_ALPHA;
	const bucketMinutes = BUCKET_MINUTES[bucket];
	if (bucketMinutes === undefined) throw new TypeError(`Expected \`bucket\` to be "minute" or "hour", got ${String(bucket)}`);
	if (!Number.isFinite(sinceMs) || !Number.isFinite(untilMs) || untilMs <= sinceMs) {
		throw new RangeError(`Expected \`sinceMs\` and \`untilMs\` to be epoch ms with sinceMs < untilMs, got ${sinceMs} and ${untilMs}`);
	}
	if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`Expected \`alpha\` to be in (0, 1], got ${alpha}`);

	// The bound is on the window's length; a window that does not start on a bucket boundary is spread over
	// one more (partly covered) bucket, so a day of minutes ending now is 1441 points and still allowed.
	const windowBuckets = Math.ceil((untilMs - sinceMs) / (bucketMinutes * MINUTE_MS));
	if (windowBuckets > MAX_TREND_BUCKETS) {
		throw new RangeError(
			`Expected a window of at most ${MAX_TREND_BUCKETS} ${bucket} buckets, got ${windowBuckets}: shorten the window or use hour buckets`,
		);
	}
	const firstMinute = Math.floor(sinceMs / MINUTE_MS);
	const endMinute = Math.ceil(untilMs / MINUTE_MS);
	const firstBucket = Math.floor(firstMinute / bucketMinutes);
	const bucketCount = Math.ceil(endMinute / bucketMinutes) - firstBucket;

	// A bucket with one point uses that point's counters as they are; only a second point makes a copy to add
	// into (the input is never changed). Minute buckets over a day are 1,440 sets: copying them all would double
	// the cost of the trend.
	const sums: Array<CounterSet | undefined> = new Array(bucketCount);
	const owned = new Array<boolean>(bucketCount).fill(false);
	for (const point of points) {
		if (!Number.isInteger(point.minute)) {
			throw new TypeError(`Expected \`minute\` to be an integer minute number (epoch ms / 60000), got ${point.minute}`);
		}
		if (point.minute < firstMinute || point.minute >= endMinute) continue;
		const slot = Math.floor(point.minute / bucketMinutes) - firstBucket;
		const existing = sums[slot];
		if (existing === undefined) {
			sums[slot] = point.counters;
		} else {
			const target = owned[slot] ? existing : existing.clone();
			target.add(point.counters);
			sums[slot] = target;
			owned[slot] = true;
		}
	}
	const empty = new CounterSet();

	const readings = Array.from(sums, (counters = empty, index) => {
		const bucketStartMinute = (firstBucket + index) * bucketMinutes;
		const coveredMinutes =
			Math.min(endMinute, bucketStartMinute + bucketMinutes) - Math.max(firstMinute, bucketStartMinute);
		const summary = summarize(counters, coveredMinutes);
		return {
			start: new Date(bucketStartMinute * MINUTE_MS).toISOString(),
			calls: summary.calls,
			throughputPerMin: summary.throughputPerMin ?? 0,
			errorRate: summary.errorRate,
			hitRate: summary.cache.hitRate,
			latencyMs: { p50: summary.latencyMs.p50, p95: summary.latencyMs.p95, p99: summary.latencyMs.p99 },
		};
	});

	const raw: Record<ForecastSeries, Array<number | null>> = {
		p95: readings.map((reading) => reading.latencyMs.p95),
		throughputPerMin: readings.map((reading) => reading.throughputPerMin),
		errorRate: readings.map((reading) => reading.errorRate),
		hitRate: readings.map((reading) => reading.hitRate),
	};
	const smoothed = {
		p95: ewma(raw.p95, alpha),
		throughputPerMin: ewma(raw.throughputPerMin, alpha),
		errorRate: ewma(raw.errorRate, alpha),
		hitRate: ewma(raw.hitRate, alpha),
	};

	return {
		bucket,
		points: readings.map((reading, index) => ({
			...reading,
			smoothed: {
				p95: roundSeries('p95', smoothed.p95[index]),
				// Throughput is 0, never missing, for an empty bucket, so its average always exists.
				throughputPerMin: roundSeries('throughputPerMin', smoothed.throughputPerMin[index]) ?? 0,
				errorRate: roundSeries('errorRate', smoothed.errorRate[index]),
				hitRate: roundSeries('hitRate', smoothed.hitRate[index]),
			},
		})),
		forecast: forecastAll(raw, (firstBucket + bucketCount) * bucketMinutes * MINUTE_MS),
	};
}

/**
 * Holt's linear method over the values each series has (buckets without a value are skipped, so the forecast
 * is one step past the last bucket that had one, which is the next bucket whenever the last had traffic).
 */
function forecastAll(raw: Record<ForecastSeries, Array<number | null>>, nextPeriodStartMs: number): TrendForecast {
	const values = {} as TrendForecast['values'];
	const direction = {} as TrendForecast['direction'];
	for (const series of SERIES) {
		const fit = holtLinear(raw[series].filter((value): value is number => value !== null));
		values[series] = fit === undefined ? null : roundSeries(series, clamp(series, fit.forecast));
		direction[series] = trendDirection(fit);
	}
	return { method: 'holt-linear', nextPeriodStart: new Date(nextPeriodStartMs).toISOString(), values, direction };
}

/** A straight line extended past 0 (or past 100 % for a rate) predicts something that cannot happen. */
function clamp(series: ForecastSeries, value: number): number {
	const atLeastZero = Math.max(0, value);
	return series === 'errorRate' || series === 'hitRate' ? Math.min(1, atLeastZero) : atLeastZero;
}

/** Rates to four decimals like the metrics summary, milliseconds and calls per minute to three. */
function roundSeries(series: ForecastSeries, value: number | null): number | null {
	if (value === null) return null;
	return roundTo(value, series === 'errorRate' || series === 'hitRate' ? 4 : 3);
}
