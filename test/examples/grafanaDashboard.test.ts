import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { CounterSet } from '../../lib/metrics/counterSet';
import type { MetricEvent } from '../../lib/metrics/metricEvent';
import { toPrometheusText } from '../../lib/monitor/prometheus';
import type { MetricsReading } from '../../lib/state/stateStore';

type Json = Record<string, any>;

const DASHBOARD = JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'examples', 'grafana-dashboard.json'), 'utf8')) as Json;

function reading(nodeType: string, nodeName: string, operation: string, events: Array<Partial<MetricEvent>>): MetricsReading {
	const counters = new CounterSet();
	for (const event of events) counters.record({ nodeType, nodeName, operation, durationMs: 5, ...event });
	return { workflowId: 'wf-1', nodeType, nodeName, operation, counters };
}

/** Our exposition as the metrics route serves it, with every kind of value each split label can take. */
async function exposition(): Promise<string> {
	const readings = [
		reading('n8n-nodes-perf-optimizer.optimizedAiCall', 'Ask', 'chat', [
			{ cache: 'hit', tokensSaved: 10, costSavedUsd: 0.01 },
			{ cache: 'miss', tokensIn: 10, tokensOut: 5, costUsd: 0.01, retries: 1, bytesRaw: 100, bytesCompressed: 50 },
			{ cache: 'coalesced' },
			{ cache: 'similar' },
			{ cache: 'bypass', outcome: 'timeout' },
		]),
		reading('n8n-nodes-perf-optimizer.batchWorkflowTrigger', 'Fan Out', 'dispatchWebhook', [{ outcome: 'server' }]),
	];
	return await toPrometheusText(readings, { process: { cpuPercent: 1, rssBytes: 1, heapUsedBytes: 1, eventLoopDelayP99Ms: 1 } });
}

/** Sample name -> label -> values seen. Without the histogram's TYPE line its `_bucket` samples keep their labels. */
function labelsBySample(text: string): Map<string, Map<string, Set<string>>> {
	const samples = new Map<string, Map<string, Set<string>>>();
	for (const family of parsePrometheusTextFormat(text.replace(/^# TYPE \S+ histogram\n/m, ''))) {
		const labels = samples.get(family.name) ?? new Map<string, Set<string>>();
		for (const metric of family.metrics as Array<{ labels?: Record<string, string> }>) {
			for (const [label, value] of Object.entries(metric.labels ?? {})) {
				(labels.get(label) ?? labels.set(label, new Set()).get(label)!).add(value);
			}
		}
		samples.set(family.name, labels);
	}
	return samples;
}

/** What a PromQL expression (or a label_values query) asks of the exposition that it does not have. */
function problems(expression: string, samples: Map<string, Map<string, Set<string>>>): string[] {
	const found: string[] = [];
	const metrics = [...expression.matchAll(/\b(n8n_perf_[a-z0-9_]+)(\{[^}]*\})?/g)];
	if (metrics.length === 0) found.push(`no n8n_perf metric in ${expression}`);
	for (const [, name, selector = ''] of metrics) {
		const labels = samples.get(name);
		if (labels === undefined) {
			found.push(`metric ${name} is not exposed`);
			continue;
		}
		for (const [, label, operator, value] of selector.matchAll(/(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)) {
			if (!labels.has(label)) found.push(`${name} has no label ${label}`);
			else if ((operator === '=' || operator === '=~') && !value.includes('$')) {
				for (const alternative of value.split('|')) {
					if (!labels.get(label)!.has(alternative)) found.push(`${name}{${label}} never has the value ${alternative}`);
				}
			}
		}
	}
	const grouped = [...expression.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((match) => match[1].split(',').map((label) => label.trim()));
	const labelValues = [...expression.matchAll(/label_values\([^,]+,\s*(\w+)\)/g)].map((match) => match[1]);
	for (const label of [...grouped, ...labelValues]) {
		for (const [, name] of metrics) {
			if (samples.get(name) !== undefined && !samples.get(name)!.has(label)) found.push(`${name} has no label ${label} to group by`);
		}
	}
	return found;
}

const targets: Array<{ panel: string; expr: string; legendFormat?: string }> = DASHBOARD.panels.flatMap((panel: Json) =>
	panel.targets.map((target: Json) => ({ panel: panel.title, expr: target.expr, legendFormat: target.legendFormat })),
);
const variableQueries: string[] = DASHBOARD.templating.list.filter((variable: Json) => variable.type === 'query').map((variable: Json) => variable.definition);

describe('examples/grafana-dashboard.json', () => {
	let samples: Map<string, Map<string, Set<string>>>;
	beforeAll(async () => {
		samples = labelsBySample(await exposition());
	});

	it('covers calls, errors, p95 from the histogram, hit rate, cost, saved cost and retries', () => {
		const all = targets.map((target) => target.expr).join('\n');
		for (const needed of [
			'n8n_perf_calls_total',
			'n8n_perf_errors_total',
			'histogram_quantile(0.95',
			'n8n_perf_duration_seconds_bucket',
			'n8n_perf_cache_requests_total',
			'n8n_perf_cost_usd_total',
			'n8n_perf_cost_saved_usd_total',
			'n8n_perf_retries_total',
		]) {
			expect(all).toContain(needed);
		}
	});

	it.each(targets)('panel "$panel" queries only metrics, labels and label values our exposition has: $expr', ({ expr, legendFormat }) => {
		expect(problems(expr, samples)).toEqual([]);
		const grouped = new Set([...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((match) => match[1].split(',').map((label) => label.trim())));
		for (const [, label] of (legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)) expect(grouped).toContain(label);
	});

	it.each(variableQueries)('variable query %s uses an exposed metric and label', (query) => {
		expect(problems(query, samples)).toEqual([]);
	});

	it('the check itself finds a wrong metric, label, label value and grouping', () => {
		expect(problems('rate(n8n_perf_call_total[5m])', samples)).toEqual(['metric n8n_perf_call_total is not exposed']);
		expect(problems('rate(n8n_perf_calls_total{nodeName="x"}[5m])', samples)).toEqual(['n8n_perf_calls_total has no label nodeName']);
		expect(problems('rate(n8n_perf_cache_requests_total{result=~"hit|hits"}[5m])', samples)).toEqual(['n8n_perf_cache_requests_total{result} never has the value hits']);
		expect(problems('sum by (le) (rate(n8n_perf_calls_total[5m]))', samples)).toEqual(['n8n_perf_calls_total has no label le to group by']);
	});
});
