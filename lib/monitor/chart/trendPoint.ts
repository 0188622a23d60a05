/** One time bucket of a trend, as the chart draws it. */
export interface TrendPoint {
	/** Start of the bucket, an ISO 8601 date-time. */
	start: string;
	/** Latency percentiles in milliseconds; `null` where the bucket had no calls. */
	latencyMs: { p50: number | null; p95: number | null; p99: number | null };
	throughputPerMin: number;
	/** Share of cache-using calls served without upstream work, 0..1 (drawn in %); `null` where none used the cache. */
	hitRate: number | null;
}

/** A point checked and with its time parsed, in time order. */
export interface TimedPoint extends TrendPoint {
	at: number;
}

function checkValue(value: unknown, where: string, max = Infinity): void {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
		const range = max === Infinity ? 'a finite number from 0 up' : `a number from 0 to ${max}`;
		throw new TypeError(`Expected ${where} to be ${range}, got ${String(value)}`);
	}
}

/**
 * Checks the points and sorts them by time (a stable sort, so equal times keep their order and the drawing
 * stays the same for the same input). Throws a `TypeError` naming the first bad field.
 */
export function readTrendPoints(points: readonly TrendPoint[]): TimedPoint[] {
	if (!Array.isArray(points)) throw new TypeError('Expected `points` to be an array of trend points');
	const timed = points.map((point, index): TimedPoint => {
		const where = `points[${index}]`;
		const at = typeof point?.start === 'string' ? Date.parse(point.start) : Number.NaN;
		if (Number.isNaN(at)) throw new TypeError(`Expected ${where}.start to be an ISO date-time, got ${String(point?.start)}`);
		for (const percentile of ['p50', 'p95', 'p99'] as const) {
			const value = point.latencyMs?.[percentile];
			if (value !== null) checkValue(value, `${where}.latencyMs.${percentile} (or null)`);
		}
		checkValue(point.throughputPerMin, `${where}.throughputPerMin`);
		if (point.hitRate !== null) checkValue(point.hitRate, `${where}.hitRate (a ratio, or null)`, 1);
		return { ...point, at };
	});
	return timed.sort((a, b) => a.at - b.at);
}
