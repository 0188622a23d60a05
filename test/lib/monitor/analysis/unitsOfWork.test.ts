import { rollupByComponent } from '../../../../lib/metrics/rollup';
import { findBottlenecks } from '../../../../lib/monitor/analysis/bottlenecks';
import { healthScore } from '../../../../lib/monitor/analysis/health';
import { MIXED_READINGS } from '../../metrics/mixedReadings';
import { binned } from './fixtures';

describe('analyses over units of work', () => {
	const components = rollupByComponent(MIXED_READINGS);

	it('weights the health score by units of work, and a queue wait does not count as latency', () => {
		const health = healthScore(components, { latencySloMs: 500 });
		expect(health.components.map(({ nodeName, calls, score }) => [nodeName, calls, score])).toEqual([
			// 1 error in 4 calls: the full 50 points.
			['Ask', 4, 50],
			// p95 of the dispatches is 300 ms, under the SLO; the 900 ms queue waits would have cost 20 points.
			['Send', 2, 100],
			['Fill', 5, 100],
			['checkout', 1, 100],
			['Elsewhere', 2, 100],
		]);
		// (50 × 4 + 100 × (2 + 5 + 1 + 2)) / 14 = 85.7
		expect(health.score).toBe(86);
	});

	it('shares time by units of work, leaving queue waits and HTTP attempts out', () => {
		const ranked = findBottlenecks(components, [], 5);
		expect(ranked.map(({ nodeName, calls, shareOfTimePct }) => [nodeName, calls, shareOfTimePct])).toEqual([
			// of 400 + 600 + 20 + 50 + 20 = 1 090 ms
			['Send', 2, 55],
			['Ask', 4, 36.7],
			['checkout', 1, 4.6],
			['Fill', 5, 1.8],
			['Elsewhere', 2, 1.8],
		]);
		expect(ranked[0].p95Ms).toBe(binned(300));
	});
});
