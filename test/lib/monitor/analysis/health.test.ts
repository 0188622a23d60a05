import { HEALTH_SCORE_FORMULA, healthScore } from '../../../../lib/monitor/analysis/health';
import { binned, component, times } from './fixtures';

describe('healthScore', () => {
	it('takes each penalty off 100 and weights the overall score by calls', () => {
		const components = [
			// 1 error in 20 calls = 5%: the full 50 points; fast, no cache, no retries.
			component('Ask', times(1, { outcome: 'server', durationMs: 1000 }), times(19, { durationMs: 1000 })),
			// p95 5000 ms is 2.5 × the SLO: the full 25; hit rate 0.6: 15 × 0.4 = 6; 0.1 retries per call: 10 × 0.5 = 5.
			component(
				'Render',
				times(1, { cache: 'hit', durationMs: 5000, retries: 1 }),
				times(5, { cache: 'hit', durationMs: 5000 }),
				times(4, { cache: 'miss', durationMs: 5000 }),
			),
			component('Idle'),
		];
		const health = healthScore(components, { latencySloMs: 2000 });
		expect(health.components).toEqual([
			{
				nodeType: 'n8n-nodes-perf-optimizer.optimizedAiCall',
				nodeName: 'Ask',
				calls: 20,
				score: 50,
				penalties: { errors: 50, latency: 0, cacheMisses: 0, retries: 0 },
			},
			{
				nodeType: 'n8n-nodes-perf-optimizer.optimizedAiCall',
				nodeName: 'Render',
				calls: 10,
				score: 64,
				penalties: { errors: 0, latency: 25, cacheMisses: 6, retries: 5 },
			},
		]);
		// (50 × 20 + 64 × 10) / 30 = 54.67
		expect(health.score).toBe(55);
	});

	it('scales the latency penalty with how far p95 is above the SLO', () => {
		// An SLO at two thirds of the binned p95: p95 / SLO − 1 = 0.5, so 12.5 points.
		const slow = component('Slow', times(4, { durationMs: 3000 }));
		const health = healthScore([slow], { latencySloMs: (binned(3000) * 2) / 3 });
		expect(health.components[0].penalties.latency).toBeCloseTo(12.5, 2);
		expect(health.components[0].score).toBe(88); // 87.5 rounds up
		expect(healthScore([slow], { latencySloMs: binned(3000) }).components[0].penalties.latency).toBe(0);
	});

	it('caps the error and retry penalties', () => {
		const failing = component('Failing', times(5, { outcome: 'timeout', retries: 3 }), times(5));
		expect(healthScore([failing]).components[0]).toMatchObject({ score: 40, penalties: { errors: 50, retries: 10 } });
		// 1% errors: 50 × 0.2 = 10.
		expect(healthScore([component('Rare', times(1, { outcome: 'other' }), times(99))]).score).toBe(90);
	});

	it('charges cache misses only to components that use a cache', () => {
		expect(healthScore([component('Bypass', times(10, { cache: 'bypass' }))]).components[0].penalties.cacheMisses).toBe(0);
		expect(healthScore([component('Cold', times(10, { cache: 'miss' }))]).components[0].penalties.cacheMisses).toBe(15);
	});

	it('is 100 without calls and states its formula', () => {
		const health = healthScore([component('Idle')]);
		expect(health).toEqual({ score: 100, formula: `${HEALTH_SCORE_FORMULA} SLO: p95 2000 ms.`, components: [] });
		expect(HEALTH_SCORE_FORMULA).toContain('errors = 50 × min(1, errorRate / 5%)');
		expect(healthScore([], { latencySloMs: 800 }).formula).toContain('SLO: p95 800 ms.');
	});

	it('refuses a latency SLO that is not a positive number', () => {
		expect(() => healthScore([], { latencySloMs: 0 })).toThrow('Expected `latencySloMs` to be a positive number of milliseconds, got 0');
	});
});
