import { rollupByComponent, rollupTotal, summarize } from '../../../lib/metrics';
import { buildTrend, findBottlenecks, healthScore, type Alert } from '../../../lib/monitor/analysis';
import { renderDashboardHtml, SLOWEST_NODES_PER_WORKFLOW, slowestNodesByWorkflow, type DashboardData } from '../../../lib/monitor/dashboard';
import type { MetricsReading } from '../../../lib/state/stateStore';
import { countersOf, T0, times } from './analysis/fixtures';

const HOSTILE = `<b onmouseover="x">'&'</b>`;
const ESCAPED = '&lt;b onmouseover=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/b&gt;';

function reading(workflowId: string, nodeType: string, nodeName: string, durationMs: number, calls = 1): MetricsReading {
	const operation = nodeType.endsWith('optimizedAiCall') ? 'chat' : 'execute';
	return { workflowId, nodeType, nodeName, operation, counters: countersOf(times(calls, { durationMs })) };
}

/** Dashboard data computed by the real analyses from the readings, as the operation does. */
function dataOf(readings: MetricsReading[], extra: Partial<DashboardData> = {}): DashboardData {
	const components = rollupByComponent(readings).map((component) => ({ ...component, workflowId: component.workflowId ?? '' }));
	return {
		title: 'Test',
		scope: 'all',
		windowMinutes: 5,
		generatedAt: T0,
		refreshSeconds: 0,
		workflowNames: {},
		latencySloMs: 2000,
		total: summarize(rollupTotal(readings), 5),
		health: healthScore(components),
		components: components.map((component) => ({
			workflowId: component.workflowId,
			node: component.nodeName,
			component: component.nodeType.slice(component.nodeType.lastIndexOf('.') + 1),
			...summarize(component.counters, 5),
		})),
		bottlenecks: findBottlenecks(components, [], 5),
		caches: [],
		alerts: [],
		trend: buildTrend([], { bucket: 'minute', sinceMs: T0 - 5 * 60_000, untilMs: T0 }),
		...extra,
	};
}

const AI = 'n8n-nodes-perf-optimizer.optimizedAiCall';

describe('renderDashboardHtml', () => {
	it('escapes workflow names, cache names and alert messages', () => {
		const alert: Alert = { ruleId: 'r', status: 'firing', severity: 'warning', metric: 'errorRate', value: 1, threshold: 0.05, comparator: '>', windowMinutes: 5, message: HOSTILE, firingSince: new Date(T0).toISOString() };
		const html = renderDashboardHtml(
			dataOf([reading('wf1', AI, 'Ask', 10)], {
				workflowNames: { wf1: HOSTILE },
				caches: [{ workflowId: 'wf1', cache: `ai:node:${HOSTILE}`, entries: 1, bytes: 2048, maxEntries: 10, window: { lookups: 2, hitRate: 0.5, tokensSaved: 3, costSavedUsd: 0.01 } }],
				alerts: [alert],
			}),
		);
		expect(html).not.toContain('<b ');
		expect(html.split(ESCAPED).length - 1).toBe(5); // components, bottlenecks and caches (workflow), cache name, alert
		expect(html).toContain('2.0 KB');
	});

	it('reloads no faster than every 2 seconds, and not at all for 0', () => {
		expect(renderDashboardHtml(dataOf([], { refreshSeconds: 1 }))).toContain('<meta http-equiv="refresh" content="2">');
		expect(renderDashboardHtml(dataOf([], { refreshSeconds: 0 }))).not.toContain('http-equiv="refresh"');
	});

	it('says so when nothing ran, and still draws the (empty) chart', () => {
		const html = renderDashboardHtml(dataOf([]));
		expect(html).toContain('No calls in this window.');
		expect(html).toContain('id="total-calls">0<');
		expect(html).toContain('no data');
	});

	it('adds the slowest-nodes table only when readings of other node types exist', () => {
		expect(renderDashboardHtml(dataOf([reading('wf1', AI, 'Ask', 10)]))).not.toContain('slowest-nodes');
		expect(renderDashboardHtml(dataOf([reading('wf1', AI, 'Ask', 10), reading('wf1', 'n8n-nodes-base.code', 'Crunch', 5)]))).toContain('<section id="slowest-nodes">');
	});
});

describe('slowestNodesByWorkflow', () => {
	it('keeps the slowest nodes by p95 per workflow, at most ten each', () => {
		const readings = Array.from({ length: 15 }, (_, index) => reading('wf1', 'n8n-nodes-base.set', `Node ${index}`, (index + 1) * 10));
		readings.push(reading('wf2', 'n8n-nodes-base.code', 'Alone', 7, 3));
		const data = dataOf(readings);
		const slowest = slowestNodesByWorkflow(data.components);
		expect([...slowest.keys()].sort()).toEqual(['wf1', 'wf2']);
		expect(slowest.get('wf1')!.map((row) => row.node)).toEqual(Array.from({ length: SLOWEST_NODES_PER_WORKFLOW }, (_, index) => `Node ${14 - index}`));
		expect(slowest.get('wf2')).toEqual([{ node: 'Alone', component: 'code', calls: 3, p95Ms: expect.any(Number), totalMs: expect.closeTo(21, 1) }]);
	});
});
