import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { register } from 'prom-client';
import { CounterSet } from '../../../lib/metrics/counterSet';
import type { MetricEvent } from '../../../lib/metrics/metricEvent';
import { DURATION_BUCKETS_SECONDS, PROMETHEUS_CONTENT_TYPE, toPrometheusText } from '../../../lib/monitor/prometheus';
import type { MetricsReading } from '../../../lib/state/stateStore';

const AI_TYPE = 'n8n-nodes-perf-optimizer.optimizedAiCall';
const TRICKY_NAME = 'Summarise "daily" \\ report\nv2';

function reading(workflowId: string, nodeType: string, nodeName: string, operation: string, events: Array<Partial<MetricEvent>>): MetricsReading {
	const counters = new CounterSet();
	for (const event of events) counters.record({ nodeType, nodeName, operation, durationMs: 1, ...event });
	return { workflowId, nodeType, nodeName, operation, counters };
}

// Durations are far from every bucket bound, so the 1 % bin accuracy cannot move them across one.
const aiCall = reading('wf-1', AI_TYPE, TRICKY_NAME, 'chat', [
	{ durationMs: 3, cache: 'miss', tokensIn: 100, tokensOut: 20, costUsd: 0.25, bytesRaw: 1000, bytesCompressed: 400, retries: 1 },
	{ durationMs: 20, cache: 'hit', tokensSaved: 120, costSavedUsd: 0.25 },
	{ durationMs: 70, cache: 'coalesced', items: 3 },
	{ durationMs: 700, cache: 'miss', outcome: 'timeout', retries: 2 },
	{ durationMs: 40_000, cache: 'similar', outcome: 'rate_limit' },
	{ durationMs: 100_000, cache: 'bypass', outcome: 'timeout' },
]);
const aiLabels = { workflow: 'wf-1', node: TRICKY_NAME, component: 'optimizedAiCall', operation: 'chat' };
const renderLabels = { workflow: 'wf-2', node: 'Render', component: 'templatePopulate', operation: 'render' };

type Families = ReturnType<typeof parsePrometheusTextFormat>;

/** A family by name; its parts joined when the parser split it (untyped samples of several series in turn). */
function family(families: Families, name: string) {
	const parts = families.filter((candidate) => candidate.name === name);
	if (parts.length === 0) throw new Error(`family ${name} missing`);
	return { ...parts[0], metrics: parts.flatMap((part) => part.metrics) };
}

function sample(families: Families, name: string, labels: Record<string, string>) {
	const matches = family(families, name).metrics.filter((metric) => JSON.stringify(metric.labels) === JSON.stringify(labels));
	if (matches.length !== 1) throw new Error(`${matches.length} samples of ${name} with ${JSON.stringify(labels)}`);
	return matches[0];
}

const value = (families: Families, name: string, labels: Record<string, string>) => Number(sample(families, name, labels).value);

/**
 * The parser folds every labelled series of a histogram into one `buckets` object and drops their `_sum` and
 * `_count`; without the TYPE line it reads `_bucket`, `_sum` and `_count` as plain families with all labels.
 */
function parseHistogramSamples(text: string): Families {
	return parsePrometheusTextFormat(text.replace('# TYPE n8n_perf_duration_seconds histogram\n', ''));
}

function histogram(text: string, labels: Record<string, string>) {
	const samples = parseHistogramSamples(text);
	const buckets: Record<string, number> = {};
	for (const metric of family(samples, 'n8n_perf_duration_seconds_bucket').metrics) {
		const { le, ...seriesLabels } = metric.labels ?? {};
		if (JSON.stringify(seriesLabels) === JSON.stringify(labels)) buckets[le] = Number(metric.value);
	}
	return {
		buckets,
		sum: value(samples, 'n8n_perf_duration_seconds_sum', labels),
		count: value(samples, 'n8n_perf_duration_seconds_count', labels),
	};
}

describe('toPrometheusText', () => {
	let families: Families;
	let text: string;

	beforeAll(async () => {
		const render = reading('wf-2', 'n8n-nodes-perf-optimizer.templatePopulate', 'Render', 'render', [{ durationMs: 1 }, { durationMs: 1 }]);
		// The same series read twice (e.g. two instances): one series in the output, counts added up.
		const renderAgain = reading('wf-2', 'n8n-nodes-perf-optimizer.templatePopulate', 'Render', 'render', [{ durationMs: 2 }]);
		text = await toPrometheusText([aiCall, render, renderAgain], {
			process: { cpuPercent: 12.5, rssBytes: 200_000_000, heapUsedBytes: 50_000_000, eventLoopDelayP99Ms: 25 },
		});
		families = parsePrometheusTextFormat(text);
	});

	it('names the content type prom-client serves for format 0.0.4', () => {
		expect(PROMETHEUS_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
	});

	it('writes each family with its type', () => {
		const types = Object.fromEntries(families.map((parsed) => [parsed.name, parsed.type]));
		expect(types).toEqual({
			n8n_perf_calls_total: 'COUNTER',
			n8n_perf_items_total: 'COUNTER',
			n8n_perf_errors_total: 'COUNTER',
			n8n_perf_cache_requests_total: 'COUNTER',
			n8n_perf_tokens_total: 'COUNTER',
			n8n_perf_cost_usd_total: 'COUNTER',
			n8n_perf_cost_saved_usd_total: 'COUNTER',
			n8n_perf_bytes_total: 'COUNTER',
			n8n_perf_retries_total: 'COUNTER',
			n8n_perf_duration_seconds: 'HISTOGRAM',
			n8n_perf_duration_quantile_seconds: 'GAUGE',
			n8n_perf_process_cpu_percent: 'GAUGE',
			n8n_perf_process_resident_memory_bytes: 'GAUGE',
			n8n_perf_process_heap_used_bytes: 'GAUGE',
			n8n_perf_process_event_loop_delay_p99_seconds: 'GAUGE',
		});
		expect(text.endsWith('\n')).toBe(true);
	});

	it('escapes quotes, backslashes and newlines in label values so they parse back unchanged', () => {
		expect(text).toContain('node="Summarise \\"daily\\" \\\\ report\\nv2"');
		expect(family(families, 'n8n_perf_calls_total').metrics.map((metric) => metric.labels)).toEqual([aiLabels, renderLabels]);
	});

	it('writes the cumulative totals of each series', () => {
		expect(value(families, 'n8n_perf_calls_total', aiLabels)).toBe(6);
		expect(value(families, 'n8n_perf_items_total', aiLabels)).toBe(8);
		expect(value(families, 'n8n_perf_retries_total', aiLabels)).toBe(3);
		expect(value(families, 'n8n_perf_cost_usd_total', aiLabels)).toBe(0.25);
		expect(value(families, 'n8n_perf_cost_saved_usd_total', aiLabels)).toBe(0.25);
		expect(value(families, 'n8n_perf_calls_total', renderLabels)).toBe(3);
	});

	it('splits errors by the classes that occurred, and cache, tokens and bytes by every kind', () => {
		const errorSeries = family(families, 'n8n_perf_errors_total').metrics.map((metric) => [metric.labels, metric.value]);
		expect(errorSeries).toEqual([
			[{ ...aiLabels, class: 'rate_limit' }, '1'],
			[{ ...aiLabels, class: 'timeout' }, '2'],
		]);
		const results = { hit: 1, miss: 2, coalesced: 1, similar: 1, bypass: 1 };
		for (const [result, count] of Object.entries(results)) {
			expect(value(families, 'n8n_perf_cache_requests_total', { ...aiLabels, result })).toBe(count);
		}
		expect(value(families, 'n8n_perf_cache_requests_total', { ...renderLabels, result: 'hit' })).toBe(0);
		for (const [kind, count] of Object.entries({ in: 100, out: 20, saved: 120 })) {
			expect(value(families, 'n8n_perf_tokens_total', { ...aiLabels, kind })).toBe(count);
		}
		expect(value(families, 'n8n_perf_bytes_total', { ...aiLabels, kind: 'raw' })).toBe(1000);
		expect(value(families, 'n8n_perf_bytes_total', { ...aiLabels, kind: 'compressed' })).toBe(400);
	});

	it('builds the duration histogram from the latency bins: cumulative, monotonic, +Inf = count', () => {
		const aiHistogram = histogram(text, aiLabels);
		const expected: Record<string, number> = {
			'0.005': 1,
			'0.01': 1,
			'0.025': 2,
			'0.05': 2,
			'0.1': 3,
			'0.25': 3,
			'0.5': 3,
			'1': 4,
			'2.5': 4,
			'5': 4,
			'10': 4,
			'30': 4,
			'60': 5,
			'+Inf': 6,
		};
		expect(aiHistogram.buckets).toEqual(expected);
		const ordered = [...DURATION_BUCKETS_SECONDS.map(String), '+Inf'].map((le) => aiHistogram.buckets[le]);
		for (let index = 1; index < ordered.length; index++) expect(ordered[index]).toBeGreaterThanOrEqual(ordered[index - 1]);
		expect(aiHistogram.count).toBe(6);
		expect(aiHistogram.sum).toBeCloseTo(140.793, 9);
		expect(family(families, 'n8n_perf_duration_seconds').type).toBe('HISTOGRAM');

		const merged = histogram(text, renderLabels);
		expect(merged.buckets['0.005']).toBe(3);
		expect(merged.buckets['+Inf']).toBe(3);
		expect(merged.count).toBe(3);
		expect(merged.sum).toBeCloseTo(0.004, 9);
	});

	it('writes p50, p95 and p99 within the bins’ 1 % accuracy (nearest rank)', () => {
		const quantile = (q: string) => value(families, 'n8n_perf_duration_quantile_seconds', { ...aiLabels, quantile: q });
		expect(Math.abs(quantile('0.5') / 0.07 - 1)).toBeLessThan(0.01);
		// rank = q × (6 − 1): 4.75 and 4.95 both fall on the fifth duration, 40 s.
		expect(Math.abs(quantile('0.95') / 40 - 1)).toBeLessThan(0.01);
		expect(Math.abs(quantile('0.99') / 40 - 1)).toBeLessThan(0.01);
	});

	it('writes the process gauges in their units', () => {
		const single = (name: string) => {
			const { metrics } = family(families, name);
			expect(metrics).toHaveLength(1);
			expect(metrics[0].labels).toBeUndefined();
			return Number(metrics[0].value);
		};
		expect(single('n8n_perf_process_cpu_percent')).toBe(12.5);
		expect(single('n8n_perf_process_resident_memory_bytes')).toBe(200_000_000);
		expect(single('n8n_perf_process_heap_used_bytes')).toBe(50_000_000);
		expect(single('n8n_perf_process_event_loop_delay_p99_seconds')).toBe(0.025);
	});

	it('writes no quantiles for a series without calls, and no process gauges unless given', async () => {
		const idle = { workflowId: 'wf-3', nodeType: 'bare', nodeName: 'Idle', operation: 'noop', counters: new CounterSet() };
		const parsed = parsePrometheusTextFormat(await toPrometheusText([idle]));
		const idleLabels = { workflow: 'wf-3', node: 'Idle', component: 'bare', operation: 'noop' };
		expect(value(parsed, 'n8n_perf_calls_total', idleLabels)).toBe(0);
		expect(family(parsed, 'n8n_perf_duration_quantile_seconds').metrics).toEqual([]);
		const idleHistogram = histogram(await toPrometheusText([idle]), idleLabels);
		expect(Object.values(idleHistogram.buckets)).toEqual(new Array(DURATION_BUCKETS_SECONDS.length + 1).fill(0));
		expect(idleHistogram.count).toBe(0);
		expect(parsed.some((parsedFamily) => parsedFamily.name.startsWith('n8n_perf_process_'))).toBe(false);
	});

	it('writes every family header for no readings at all', async () => {
		const parsed = parsePrometheusTextFormat(await toPrometheusText([]));
		expect(parsed.map((parsedFamily) => parsedFamily.name)).toContain('n8n_perf_duration_seconds');
		expect(parsed.every((parsedFamily) => parsedFamily.metrics.length === 0)).toBe(true);
	});

	it('leaves prom-client’s global register alone, so repeated calls never collide', async () => {
		await toPrometheusText([aiCall]);
		await toPrometheusText([aiCall]);
		expect(register.getMetricsAsArray()).toHaveLength(0);
		expect(await register.metrics()).toBe('\n');
	});

	it('refuses bad input with a message naming it', async () => {
		await expect(toPrometheusText('nope' as never)).rejects.toThrow('Expected `readings` to be an array');
		await expect(toPrometheusText([{ ...aiCall, counters: {} as CounterSet }])).rejects.toThrow('readings[0].counters');
		await expect(
			toPrometheusText([], { process: { cpuPercent: Number.NaN, rssBytes: 1, heapUsedBytes: 1, eventLoopDelayP99Ms: 1 } }),
		).rejects.toThrow('`process.cpuPercent`');
	});
});
