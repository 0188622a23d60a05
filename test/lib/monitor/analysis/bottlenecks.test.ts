import { findBottlenecks } from '../../../../lib/monitor/analysis/bottlenecks';
import { binned, component, times, type EventFields } from './fixtures';

/** Milliseconds as messages write them. */
const oneDecimal = (ms: number) => Math.round(ms * 10) / 10;

const byName = (bottlenecks: ReturnType<typeof findBottlenecks>, name: string) => {
	const found = bottlenecks.find((bottleneck) => bottleneck.nodeName === name);
	if (found === undefined) throw new Error(`no bottleneck for ${name}`);
	return found;
};

describe('findBottlenecks', () => {
	it('ranks components by their share of the summed time and leaves out those without calls', () => {
		const current = [
			component('Render', times(10, { durationMs: 100 })), // 1 000 ms
			component('Ask', times(4, { durationMs: 1000 })), // 4 000 ms
			component('Idle'),
		];
		const ranked = findBottlenecks(current, [], 10);
		expect(ranked.map((bottleneck) => [bottleneck.nodeName, bottleneck.shareOfTimePct, bottleneck.calls])).toEqual([
			['Ask', 80, 4],
			['Render', 20, 10],
		]);
		const ask = ranked[0];
		expect(ask).toMatchObject({
			nodeType: 'n8n-nodes-perf-optimizer.optimizedAiCall',
			p95Ms: binned(1000),
			previousP95Ms: null,
			latencyRegressionPct: null,
			errorRate: 0,
			hitRate: null,
			impact: 'high',
		});
		expect(ask.suggestions).toEqual([
			`Takes 80% of the time spent in all monitored nodes (p95 ${oneDecimal(binned(1000))} ms): it dominates run time, so speeding it up pays off most`,
		]);
		expect(ranked[1].impact).toBe('medium');
		expect(ranked[1].suggestions).toEqual([]);
	});

	it('breaks a tie in time share by the larger p95 regression', () => {
		const current = [component('Steady', times(2, { durationMs: 500 })), component('Slower', times(1, { durationMs: 1000 }))];
		const previous = [component('Steady', times(2, { durationMs: 500 })), component('Slower', times(1, { durationMs: 400 }))];
		const ranked = findBottlenecks(current, previous, 5);
		expect(ranked.map((bottleneck) => [bottleneck.nodeName, bottleneck.shareOfTimePct])).toEqual([
			['Slower', 50],
			['Steady', 50],
		]);
		const regression = Math.round(((binned(1000) - binned(400)) / binned(400)) * 1000) / 10;
		expect(ranked[0].previousP95Ms).toBe(binned(400));
		expect(ranked[0].latencyRegressionPct).toBe(regression);
		expect(ranked[0].suggestions).toContain(
			`p95 latency rose ${regression}% against the previous window (${oneDecimal(binned(400))} ms -> ${oneDecimal(binned(1000))} ms): check for longer prompts, a slower model or trouble at the provider`,
		);
		expect(ranked[1].latencyRegressionPct).toBe(0);
		// Reversing the input changes nothing.
		expect(findBottlenecks([...current].reverse(), previous, 5).map((bottleneck) => bottleneck.nodeName)).toEqual(['Slower', 'Steady']);
	});

	it('keeps components of different workflows apart when they carry a workflow id', () => {
		const current = [
			{ ...component('Ask', times(1, { durationMs: 800 })), workflowId: 'w1' },
			{ ...component('Ask', times(1, { durationMs: 200 })), workflowId: 'w2' },
		];
		const previous = [{ ...component('Ask', times(1, { durationMs: 200 })), workflowId: 'w2' }];
		const ranked = findBottlenecks(current, previous, 5);
		expect(ranked.map((bottleneck) => [bottleneck.workflowId, bottleneck.previousP95Ms])).toEqual([
			['w1', null],
			['w2', binned(200)],
		]);
		expect(findBottlenecks([component('Ask', times(1))], [], 5)[0]).not.toHaveProperty('workflowId');
	});

	describe('suggestions', () => {
		// A large component keeps every other one's time share below 20%, so only the rule under test speaks.
		const big = component('Big', times(1, { durationMs: 1e9 }));
		const suggestionsOf = (...groups: EventFields[][]) =>
			byName(findBottlenecks([big, component('Probe', ...groups)], [], 10), 'Probe').suggestions;

		it('flags a low cache hit rate over at least 20 lookups', () => {
			expect(suggestionsOf(times(4, { cache: 'hit' }), times(36, { cache: 'miss' }))).toEqual([
				'Cache hit rate is 10% over 40 lookups: raise Cache TTL, turn on Prompt Compression or Near-Duplicate Detection',
			]);
			// Coalesced and similar answers count as served.
			expect(suggestionsOf(times(3, { cache: 'coalesced' }), times(3, { cache: 'similar' }), times(14, { cache: 'miss' }))).toEqual([]);
			expect(suggestionsOf(times(19, { cache: 'miss' }))).toEqual([]);
			// Bypassed calls are no lookups.
			expect(suggestionsOf(times(30, { cache: 'bypass' }))).toEqual([]);
		});

		it('flags rate limits from 5% of calls, with the current call rate', () => {
			expect(suggestionsOf(times(3, { outcome: 'rate_limit' }), times(17))).toEqual([
				'3 of 20 calls (15%) hit rate limits (429): lower Max Parallel Requests or set Requests Per Minute (now 2 calls per minute)',
			]);
			expect(suggestionsOf(times(1, { outcome: 'rate_limit' }), times(19))).toHaveLength(1);
			expect(suggestionsOf(times(1, { outcome: 'rate_limit' }), times(20))).toEqual([]);
		});

		it('flags timeouts and server errors from 2% of calls', () => {
			expect(suggestionsOf(times(1, { outcome: 'timeout', durationMs: 30_000 }), times(49, { durationMs: 30_000 }))).toEqual([
				`1 of 50 calls (2%) timed out (p95 ${oneDecimal(binned(30_000))} ms): raise Timeout (Ms) under Request Options, or check the provider's status and latency`,
			]);
			expect(suggestionsOf(times(1, { outcome: 'timeout' }), times(50))).toEqual([]);
			expect(suggestionsOf(times(2, { outcome: 'server' }), times(38))).toEqual([
				"2 of 40 calls (5%) failed with server errors (5xx): check the endpoint's health (provider status page, gateway or model server logs)",
			]);
		});

		it('mentions retries from 0.2 per call', () => {
			expect(suggestionsOf(times(5, { retries: 1 }), times(15))).toEqual([
				'5 retries over 20 calls (0.25 per call): each retry adds a round trip and its back-off; remove the cause (rate limits, server errors, timeouts) rather than raising Max Attempts',
			]);
			expect(suggestionsOf(times(3, { retries: 1 }), times(17))).toEqual([]);
		});

		it('suggests compression for large prompts sent as they are', () => {
			expect(suggestionsOf(times(2, { bytesRaw: 5000, bytesCompressed: 5000 }))).toEqual([
				'Prompts average 5000 bytes and are sent uncompressed: turn on Prompt Compression',
			]);
			expect(suggestionsOf(times(2, { bytesRaw: 4500 }))).toHaveLength(1);
			expect(suggestionsOf(times(2, { bytesRaw: 5000, bytesCompressed: 3000 }))).toEqual([]);
			expect(suggestionsOf(times(2, { bytesRaw: 4000, bytesCompressed: 4000 }))).toEqual([]);
		});
	});

	describe('impact', () => {
		const big = component('Big', times(1, { durationMs: 1e9 }));
		const impactOf = (probe: ReturnType<typeof component>, previous: ReturnType<typeof component>[] = []) =>
			byName(findBottlenecks([big, probe], previous, 10), probe.nodeName).impact;

		it('is high from 50% of the time, a 10% error rate or a 100% regression', () => {
			expect(impactOf(component('Probe', times(1, { outcome: 'server' }), times(9)))).toBe('high');
			expect(impactOf(component('Probe', times(1, { durationMs: 1000 })), [component('Probe', times(1, { durationMs: 400 }))])).toBe('high');
			expect(byName(findBottlenecks([big, component('Probe', times(1))], [], 10), 'Big').impact).toBe('high');
		});

		it('is medium from 20% of the time, a 2% error rate or a 50% regression', () => {
			expect(impactOf(component('Probe', times(1, { outcome: 'server' }), times(49)))).toBe('medium');
			expect(impactOf(component('Probe', times(1, { durationMs: 700 })), [component('Probe', times(1, { durationMs: 400 }))])).toBe('medium');
			const quarter = [component('A', times(1, { durationMs: 300 })), component('B', times(1, { durationMs: 100 }))];
			expect(byName(findBottlenecks(quarter, [], 10), 'B').impact).toBe('medium');
		});

		it('is low otherwise, faster than before included', () => {
			expect(impactOf(component('Probe', times(1, { outcome: 'server' }), times(50)))).toBe('low');
			expect(impactOf(component('Probe', times(1, { durationMs: 100 })), [component('Probe', times(1, { durationMs: 400 }))])).toBe('low');
		});
	});

	it('refuses a window that is not a positive number of minutes', () => {
		expect(() => findBottlenecks([], [], 0)).toThrow('Expected `windowMinutes` to be a positive number, got 0');
	});
});
