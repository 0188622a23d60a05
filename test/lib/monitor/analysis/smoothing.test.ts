import { ewma } from '../../../../lib/monitor/analysis/ewma';
import { holtLinear, trendDirection } from '../../../../lib/monitor/analysis/holtLinear';

describe('holtLinear', () => {
	it('follows a perfect line exactly and forecasts its next point', () => {
		expect(holtLinear([3, 5, 7, 9, 11])).toEqual({ level: 11, trend: 2, forecast: 13 });
		expect(holtLinear([40, 30, 20])).toEqual({ level: 20, trend: -10, forecast: 10 });
	});

	it('smooths level and trend with alpha 0.5 and beta 0.3', () => {
		// Seed: level 10, trend 2. x = 12: level 0.5 × 12 + 0.5 × 12 = 12, trend 0.3 × 2 + 0.7 × 2 = 2.
		// x = 11: level 0.5 × 11 + 0.5 × 14 = 12.5, trend 0.3 × 0.5 + 0.7 × 2 = 1.55; forecast 14.05.
		const fit = holtLinear([10, 12, 11]);
		expect(fit?.level).toBeCloseTo(12.5, 10);
		expect(fit?.trend).toBeCloseTo(1.55, 10);
		expect(fit?.forecast).toBeCloseTo(14.05, 10);
	});

	it('needs two values', () => {
		expect(holtLinear([])).toBeUndefined();
		expect(holtLinear([5])).toBeUndefined();
		expect(() => holtLinear([1, 2], 0)).toThrow('alpha');
		expect(() => holtLinear([1, 2], 0.5, 1.5)).toThrow('beta');
	});

	it('reads a direction from the trend relative to the level', () => {
		expect(trendDirection(undefined)).toBe('unknown');
		expect(trendDirection({ level: 100, trend: 1.9, forecast: 101.9 })).toBe('flat');
		expect(trendDirection({ level: 100, trend: 2.1, forecast: 102.1 })).toBe('rising');
		expect(trendDirection({ level: 100, trend: -2.1, forecast: 97.9 })).toBe('falling');
		expect(trendDirection({ level: 0, trend: 0, forecast: 0 })).toBe('flat');
	});
});

describe('ewma', () => {
	it('seeds with the first value and keeps the average through missing values', () => {
		expect(ewma([null, 10, null, 20], 0.5)).toEqual([null, 10, 10, 15]);
		expect(() => ewma([1], 1.2)).toThrow('alpha');
	});
});
