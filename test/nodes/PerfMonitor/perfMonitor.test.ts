import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { resetSharedProcessState } from '../../../lib/state';
import { monitorHarness, monitorWorkflow, recordEvents } from './monitorWorkflow';

type Json = Record<string, any>;

describe('Perf Monitor', () => {
	beforeEach(() => resetSharedProcessState());

	const tenCalls = () =>
		recordEvents(
			Array.from({ length: 10 }, (_, index) => ({
				durationMs: (index + 1) * 10,
				cache: index < 4 ? ('hit' as const) : ('miss' as const),
				outcome: index >= 8 ? ('rate_limit' as const) : ('ok' as const),
				tokensIn: index < 4 ? 0 : 100,
				costUsd: index < 4 ? 0 : 0.001,
				costSavedUsd: index < 4 ? 0.001 : 0,
			})),
		);

	it('gets metrics per component and in total, with process stats', async () => {
		tenCalls();
		recordEvents([
			{ nodeType: 'n8n-nodes-perf-optimizer.templatePopulate', nodeName: 'Render', operation: 'populate', durationMs: 3 },
			{ nodeType: 'n8n-nodes-perf-optimizer.templatePopulate', nodeName: 'Render', operation: 'render', durationMs: 2 },
		]);
		const result = await monitorHarness().run(monitorWorkflow({ operation: 'getMetrics', window: 5 }));
		expect(result.status).toBe('success');
		const [report] = result.json('Monitor') as Json[];
		expect(report.total).toMatchObject({ calls: 11, errors: 2, errorsByClass: { rate_limit: 2 } });
		const ask = report.components.find((component: Json) => component.node === 'Ask');
		expect(ask).toMatchObject({ component: 'optimizedAiCall', calls: 10, errorRate: 0.2, cache: { hits: 4, misses: 6, hitRate: 0.4 } });
		expect(ask.latencyMs.p50).toBeCloseTo(50, -0.3);
		// Nearest rank over 10 calls: p99 is the 9th value (rank 0.99 x 9 = 8.91).
		expect(ask.latencyMs.p99).toBeCloseTo(90, -0.3);
		expect(ask.cost).toEqual({ usd: 0.006, savedUsd: 0.004, unpricedCalls: 0 });
		expect(ask.throughputPerMin).toBe(2);
		expect(report.process.rssBytes).toBeGreaterThan(0);
		expect(result.items('Monitor')[0].pairedItem).toEqual([{ item: 0 }]);
	});

	it('lists one item per component when asked', async () => {
		tenCalls();
		recordEvents([{ nodeName: 'Other' }]);
		const result = await monitorHarness().run(monitorWorkflow({ operation: 'getMetrics', outputMode: 'perComponent' }));
		expect(result.json('Monitor').map((item) => [item.node, item.calls])).toEqual([
			['Ask', 10],
			['Other', 1],
		]);
	});

	it('ranks bottlenecks by share of time and suggests fixes tied to the numbers', async () => {
		tenCalls();
		recordEvents([{ nodeName: 'Fast', durationMs: 5 }]);
		const result = await monitorHarness().run(monitorWorkflow({ operation: 'getBottlenecks', window: 5 }));
		const [first, second] = result.json('Monitor') as Json[];
		expect(first).toMatchObject({ rank: 1, nodeName: 'Ask' });
		expect(first.shareOfTimePct).toBeCloseTo((550 / 555) * 100, 1);
		expect(first.suggestions.join(' ')).toMatch(/2 of 10 calls \(20%\)/);
		expect(second).toMatchObject({ rank: 2, nodeName: 'Fast' });
	});

	it('puts bottlenecks in one item with a list when asked, also when there are none', async () => {
		tenCalls();
		const listed = await monitorHarness().run(monitorWorkflow({ operation: 'getBottlenecks', window: 5, listOutput: 'oneItem' }));
		const [one] = listed.json('Monitor') as Json[];
		expect(one).toMatchObject({ windowMinutes: 5, count: 1, bottlenecks: [{ rank: 1, nodeName: 'Ask' }] });
		const empty = await monitorHarness().run(monitorWorkflow({ operation: 'getBottlenecks', window: 5, listOutput: 'oneItem', scope: 'workflow' }, { id: 'emptyWf' }));
		expect(empty.json('Monitor')).toEqual([{ windowMinutes: 5, count: 0, bottlenecks: [] }]);
	});

	it('computes the health score with its formula', async () => {
		tenCalls();
		const result = await monitorHarness().run(monitorWorkflow({ operation: 'getHealthScore', window: 5 }));
		const [health] = result.json('Monitor') as Json[];
		expect(typeof health.formula).toBe('string');
		// errors: 50 x min(1, 0.2 / 0.05) = 50; latency under the 2 s SLO: 0; cache misses: 15 x 0.6 = 9; no retries.
		expect(health.components[0].penalties).toMatchObject({ errors: 50, latency: 0, cacheMisses: 9, retries: 0 });
		expect(health.score).toBe(41);
	});

	it('gives per-minute trends with a forecast', async () => {
		recordEvents([{ at: Date.now() - 120_000 }, { at: Date.now() - 60_000 }, { at: Date.now() }, { at: Date.now() }]);
		const result = await monitorHarness().run(monitorWorkflow({ operation: 'getTrends', window: 5 }));
		const [trend] = result.json('Monitor') as Json[];
		expect(trend.bucket).toBe('minute');
		expect(trend.points.length).toBeGreaterThanOrEqual(5);
		expect(trend.points.reduce((sum: number, point: Json) => sum + point.calls, 0)).toBe(4);
		expect(trend.forecast.method).toBe('holt-linear');
	});

	it('exports Prometheus text that parses, with the recorded totals', async () => {
		tenCalls();
		const result = await monitorHarness().run(monitorWorkflow({ operation: 'exportPrometheus' }));
		const [exported] = result.json('Monitor') as Json[];
		expect(exported.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
		const families = parsePrometheusTextFormat(exported.text) as unknown as Json[];
		const calls = families.find((family) => family.name === 'n8n_perf_calls_total') as Json;
		expect(calls.metrics[0]).toMatchObject({ value: '10', labels: { workflow: 'monitorWf1', node: 'Ask', component: 'optimizedAiCall' } });
		expect(families.some((family) => family.name === 'n8n_perf_process_resident_memory_bytes')).toBe(true);
	});

	it('renders a PNG chart as binary output', async () => {
		tenCalls();
		const result = await monitorHarness().run(monitorWorkflow({ operation: 'renderChart', window: 60 }));
		const [item] = result.items('Monitor');
		expect(item.binary?.data).toMatchObject({ mimeType: 'image/png', fileName: 'perf-chart.png', fileExtension: 'png' });
		expect(item.json).toMatchObject({ width: 960, height: 720, points: expect.any(Number) });
	});

	it('stores settings with Configure, refuses bad rules by field, and keeps settings across a restart', async () => {
		const harness = monitorHarness();
		const bad = monitorWorkflow({ operation: 'configure', alertRules: '[{"metric": "errorRate"' });
		expect((await harness.run(bad)).nodeError('Monitor')).toMatch(/^'Alert Rules \(JSON\)' is not valid JSON/);
		const workflow = monitorWorkflow({
			operation: 'configure',
			latencySloMs: 500,
			alertRules: JSON.stringify([{ id: 'errors', metric: 'errorRate', comparator: '>', value: 0.1, windowMinutes: 5, severity: 'critical' }]),
		});
		harness.database.add(workflow);
		const saved = await harness.run(workflow);
		expect(saved.json('Monitor')[0]).toMatchObject({ saved: true, settings: { latencySloMs: 500 } });
		resetSharedProcessState();
		const reread = monitorWorkflow({ operation: 'getHealthScore' });
		const health = await harness.run(reread);
		expect(health.json('Monitor')[0].latencySloMs).toBe(500);
	});

	it('sends a firing alert on the Alerts output, stays quiet during the cooldown, and reports the resolution once', async () => {
		const harness = monitorHarness();
		await harness.run(
			monitorWorkflow({
				operation: 'configure',
				alertCooldownMinutes: 15,
				alertRules: JSON.stringify([{ id: 'errors', metric: 'errorRate', comparator: '>', value: 0.1, windowMinutes: 5, severity: 'critical' }]),
			}),
		);
		tenCalls();
		const check = monitorWorkflow({ operation: 'checkAlerts' });
		const first = await harness.run(check);
		expect(first.json('Monitor', 0)[0]).toMatchObject({ rules: 1, firing: 1, sent: 1 });
		expect(first.json('Monitor', 1)).toHaveLength(1);
		expect(first.json('Monitor', 1)[0]).toMatchObject({ ruleId: 'errors', status: 'firing', severity: 'critical', value: 0.2 });
		const second = await harness.run(check);
		expect(second.json('Monitor', 0)[0]).toMatchObject({ firing: 1, sent: 0 });
		expect(second.json('Monitor', 1)).toHaveLength(0);
		await harness.run(monitorWorkflow({ operation: 'reset' }));
		const resolved = await harness.run(check);
		expect(resolved.json('Monitor', 1).map((alert) => alert.status)).toEqual(['resolved']);
		const silent = await harness.run(check);
		expect(silent.json('Monitor', 1)).toHaveLength(0);
	});

	it('resets the metrics of the scope', async () => {
		tenCalls();
		const harness = monitorHarness();
		expect((await harness.run(monitorWorkflow({ operation: 'reset' }))).json('Monitor')[0]).toMatchObject({ reset: true, workflows: 1 });
		const after = await harness.run(monitorWorkflow({ operation: 'getMetrics' }));
		expect((after.json('Monitor')[0] as Json).total.calls).toBe(0);
	});
});
