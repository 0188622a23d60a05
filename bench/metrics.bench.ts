/**
 * Metrics recording cost and percentile accuracy.
 * - Recording: ns per `MetricsStore.record()` over 1 M events (8 components, log-normal durations, one
 *   simulated minute per 50 000 events), against a baseline in the same process that only appends the
 *   duration to a preallocated array (what exact percentiles would need).
 * - Accuracy: p50/p90/p95/p99 from our bins against exact percentiles of the same 1 M log-normal samples.
 */
import { MetricsStore, MINUTE_MS, summarize, type MetricEvent } from '../lib/metrics';
import { binQuantiles } from '../lib/metrics/latencyBins';
import { ManualClock } from '../lib/shared/clock';
import { exactQuantile, logNormalSampler, seededRandom } from '../test/helpers/random';
import { measureNsPerOp, printFigures, printTable, round } from './report';

const EVENTS = 1_000_000;
const sample = logNormalSampler(seededRandom(42), Math.log(80), 1.0);
const durations = Float64Array.from({ length: EVENTS }, sample);
const components = Array.from({ length: 8 }, (_, index) => `Node ${index}`);
const cacheOutcomes = ['hit', 'miss', 'coalesced', 'miss'] as const;
const events: MetricEvent[] = Array.from({ length: EVENTS }, (_, index) => ({
	nodeType: 'n8n-nodes-perf-optimizer.optimizedAiCall',
	nodeName: components[index % components.length],
	operation: 'chat',
	durationMs: durations[index],
	cache: cacheOutcomes[index % cacheOutcomes.length],
	tokensIn: 120,
	tokensOut: 40,
	costUsd: 0.0001,
	outcome: index % 97 === 0 ? 'rate_limit' : 'ok',
}));

const clock = new ManualClock();
const store = new MetricsStore({ instanceId: 'bench', clock });
const recordNs = measureNsPerOp(5, EVENTS, () => {
	for (let index = 0; index < EVENTS; index++) {
		if (index % 50_000 === 0) clock.advance(MINUTE_MS);
		store.record(events[index]);
	}
});

const samples = new Float64Array(EVENTS);
const baselineNs = measureNsPerOp(5, EVENTS, () => {
	for (let index = 0; index < EVENTS; index++) samples[index] = events[index].durationMs;
});

// Accuracy: one pass of the same samples into a fresh store, all in one series.
const accuracyStore = new MetricsStore({ instanceId: 'bench', clock });
for (let index = 0; index < EVENTS; index++) {
	accuracyStore.record({ nodeType: 't', nodeName: 'n', operation: 'o', durationMs: durations[index] });
}
async function main() {
	const counters = (await accuracyStore.query())[0].counters;
	const sorted = durations.slice().sort();
	const quantiles = [0.5, 0.9, 0.95, 0.99];
	const estimates = binQuantiles(counters.latency, quantiles) as number[];
	const rows = quantiles.map((quantile, index) => {
		const exact = exactQuantile(sorted, quantile);
		return {
			percentile: `p${Math.round(quantile * 100)}`,
			exactMs: round(exact, 3),
			oursMs: round(estimates[index], 3),
			relErrorPct: round((Math.abs(estimates[index] - exact) / exact) * 100, 3),
		};
	});
	const bins = counters.latency.size;
	const persistedBytes = Buffer.byteLength(JSON.stringify(counters));

	printTable(`Recording cost (${EVENTS.toLocaleString('en')} events, median of 5 runs)`, [
		{ what: 'MetricsStore.record (ours)', nsPerEvent: round(recordNs, 1), ratioToBaseline: round(recordNs / baselineNs, 1) },
		{ what: 'baseline: append duration to an array', nsPerEvent: round(baselineNs, 1), ratioToBaseline: 1 },
	]);
	printTable('Percentiles of 1 M log-normal samples: ours vs exact', rows);
	printTable('Footprint', [
		{ what: 'ours: latency bins for 1 M samples', bytes: persistedBytes, detail: `${bins} bins` },
		{ what: 'exact: all samples as float64', bytes: EVENTS * 8, detail: `${EVENTS.toLocaleString('en')} values` },
	]);
	process.stdout.write(`\nSummary of the accuracy series: ${JSON.stringify(summarize(counters).latencyMs)}\n`);
	printFigures({
		bench: 'metrics',
		recordNsPerEvent: round(recordNs, 1),
		baselineNsPerEvent: round(baselineNs, 1),
		recordRatioToBaseline: round(recordNs / baselineNs, 1),
		p50RelErrorPct: rows[0].relErrorPct,
		p90RelErrorPct: rows[1].relErrorPct,
		p95RelErrorPct: rows[2].relErrorPct,
		p99RelErrorPct: rows[3].relErrorPct,
		latencyBins: bins,
		histogramBytes: persistedBytes,
	});
}

main().catch((error) => {
	process.stderr.write(`${error?.stack ?? error}\n`);
	process.exit(1);
});
