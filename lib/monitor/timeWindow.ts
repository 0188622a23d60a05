import { MINUTE_MS } from '../metrics';

export interface TimeWindow {
	sinceMs: number;
	untilMs: number;
	minutes: number;
}

/**
 * The last `minutes` minute buckets up to and including the current one, and the same number just before them
 * (for regressions). Metrics are kept per minute, so windows are whole buckets: "last 5 minutes" reads exactly
 * 5 buckets, the current one still filling.
 */
export function lastMinutes(minutes: number, now: number): { current: TimeWindow; previous: TimeWindow } {
	if (!Number.isFinite(minutes) || minutes < 1 || minutes > 1440) {
		throw new RangeError(`Expected the window to be from 1 to 1440 minutes, got ${minutes}`);
	}
	const untilMs = (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS;
	const sinceMs = untilMs - minutes * MINUTE_MS;
	return {
		current: { sinceMs, untilMs, minutes },
		previous: { sinceMs: sinceMs - minutes * MINUTE_MS, untilMs: sinceMs, minutes },
	};
}
