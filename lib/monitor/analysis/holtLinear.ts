/**
 * Holt's linear method (double exponential smoothing): a level and a trend, each smoothed exponentially.
 *
 *   level_t = alpha × x_t + (1 − alpha) × (level_{t−1} + trend_{t−1})
 *   trend_t = beta × (level_t − level_{t−1}) + (1 − beta) × trend_{t−1}
 *   forecast of the next value = level_n + trend_n
 *
 * Seeded with level = x_1 and trend = x_2 − x_1, so a perfectly linear series is followed exactly and its
 * forecast is the next point of the line. alpha 0.5 follows a change in level within a few buckets; beta 0.3
 * lets one noisy bucket bend the trend only a little.
 */
export const HOLT_ALPHA = 0.5;
export const HOLT_BETA = 0.3;

export interface HoltFit {
	level: number;
	trend: number;
	forecast: number;
}

/** Fits the values in order; `undefined` with fewer than two, which have no trend. */
export function holtLinear(values: readonly number[], alpha = HOLT_ALPHA, beta = HOLT_BETA): HoltFit | undefined {
	if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`Expected \`alpha\` to be in (0, 1], got ${alpha}`);
	if (!(beta > 0 && beta <= 1)) throw new RangeError(`Expected \`beta\` to be in (0, 1], got ${beta}`);
	if (values.length < 2) return undefined;
	let level = values[0];
	let trend = values[1] - values[0];
	for (let index = 1; index < values.length; index++) {
		const previousLevel = level;
		level = alpha * values[index] + (1 - alpha) * (level + trend);
		trend = beta * (level - previousLevel) + (1 - beta) * trend;
	}
	return { level, trend, forecast: level + trend };
}

export type TrendDirection = 'rising' | 'falling' | 'flat' | 'unknown';

/** A trend smaller than this share of the level is noise, not a direction. */
export const FLAT_TREND_SHARE = 0.02;

export function trendDirection(fit: HoltFit | undefined): TrendDirection {
	if (fit === undefined) return 'unknown';
	// `<=` so that a level and trend of exactly 0 (no errors at all) reads as flat.
	if (Math.abs(fit.trend) <= FLAT_TREND_SHARE * Math.abs(fit.level)) return 'flat';
	return fit.trend > 0 ? 'rising' : 'falling';
}
