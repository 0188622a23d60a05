import { addToBins, binQuantiles, latencyBinKey, mergeBinsInto, type LatencyBins } from '../../../lib/metrics/latencyBins';
import { exactQuantile, logNormalSampler, seededRandom } from '../../helpers/random';

describe('latency bins', () => {
	it('reports p50/p90/p95/p99 within 2% of the exact percentiles on log-normal data', () => {
		const sample = logNormalSampler(seededRandom(7), Math.log(120), 0.9);
		const values = Float64Array.from({ length: 200_000 }, sample);
		const bins: LatencyBins = new Map();
		for (const value of values) addToBins(bins, value);
		const sorted = values.slice().sort();
		const quantiles = [0.5, 0.9, 0.95, 0.99];
		const estimates = binQuantiles(bins, quantiles);
		quantiles.forEach((quantile, index) => {
			const exact = exactQuantile(sorted, quantile);
			const relativeError = Math.abs((estimates[index] as number) - exact) / exact;
			expect(relativeError).toBeLessThan(0.02);
		});
	});

	it('merges by adding counts, so merged percentiles equal those of the combined data', () => {
		const random = seededRandom(3);
		const left: LatencyBins = new Map();
		const right: LatencyBins = new Map();
		const both: LatencyBins = new Map();
		for (let index = 0; index < 5000; index++) {
			const value = random() * 1000;
			addToBins(index % 2 ? left : right, value);
			addToBins(both, value);
		}
		mergeBinsInto(left, right);
		expect(left).toEqual(both);
		expect(binQuantiles(left, [0.5, 0.99])).toEqual(binQuantiles(both, [0.5, 0.99]));
	});

	it('puts zero, negative and sub-microsecond durations in the lowest bin', () => {
		expect(latencyBinKey(0)).toBe(0);
		expect(latencyBinKey(-5)).toBe(0);
		expect(latencyBinKey(0.0004)).toBe(0);
		expect(latencyBinKey(0.01)).toBeGreaterThan(0);
	});

	it('returns null without data and rejects quantiles outside [0, 1]', () => {
		expect(binQuantiles(new Map(), [0.5])).toEqual([null]);
		const bins: LatencyBins = new Map();
		addToBins(bins, 10);
		expect(() => binQuantiles(bins, [1.5])).toThrow('between 0 and 1');
	});
});
