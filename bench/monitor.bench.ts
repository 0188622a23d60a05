/**
 * Perf Monitor over 1,000,000 recorded events (8 components, log-normal latencies, spread over the last 24 h):
 * - Get Metrics (24 h window) and Get Trends (24 h, per minute) run as Perf Monitor nodes through n8n-core's
 *   WorkflowExecute; median of 5 runs after a warm-up.
 * - Baseline in the same process: the same totals computed by scanning the raw events (what a monitor without
 *   aggregation would do), to show what aggregation buys.
 * - State size: the persisted snapshot after the million events, against its cap.
 */
import { performance } from 'node:perf_hooks';
import { MINUTE_MS, type MetricEvent } from '../lib/metrics';
import { DEFAULT_SNAPSHOT_MAX_BYTES, resetSharedProcessState, sharedProcessState, STATE_KEY, StaticDataStateStore } from '../lib/state';
import { silentLogger } from '../lib/shared/logger';
import { logNormalSampler, seededRandom } from '../test/helpers/random';
import { monitorHarness, monitorWorkflow, MONITOR_WORKFLOW_ID } from '../test/nodes/PerfMonitor/monitorWorkflow';
import { printFigures, printTable, round } from './report';

const EVENTS = 1_000_000;

async function medianMs(runs: number, body: () => Promise<unknown>): Promise<number> {
	await body();
	const samples: number[] = [];
	for (let run = 0; run < runs; run++) {
		const started = performance.now();
		await body();
		samples.push(performance.now() - started);
	}
	samples.sort((a, b) => a - b);
	return samples[Math.floor(samples.length / 2)];
}

async function main() {
	process.env.N8N_LOG_LEVEL = 'silent';
	resetSharedProcessState();
	const random = seededRandom(3);
	const latency = logNormalSampler(random, Math.log(150), 0.8);
	const now = Date.now();
	// Ten minutes inside the 24-hour window, so the minute turning during the run loses no events.
	const windowStart = (Math.floor(now / MINUTE_MS) - 1429) * MINUTE_MS;
	const events: MetricEvent[] = Array.from({ length: EVENTS }, (_, index) => ({
		nodeType: 'n8n-nodes-perf-optimizer.optimizedAiCall',
		nodeName: `Node ${index % 8}`,
		operation: 'chat',
		durationMs: latency(),
		cache: random() < 0.6 ? 'hit' : 'miss',
		outcome: random() < 0.02 ? 'rate_limit' : 'ok',
		tokensIn: 200,
		tokensOut: 50,
		costUsd: 0.0001,
		// Within the 1,440 minute buckets a 24-hour window reads (the current minute included).
		at: windowStart + Math.floor(random() * (now - windowStart)),
	}));
	events.sort((a, b) => (a.at as number) - (b.at as number));

	const processState = sharedProcessState({ instanceId: 'bench' });
	const staticData: Record<string, unknown> = {};
	const store = new StaticDataStateStore({ process: processState, workflowId: MONITOR_WORKFLOW_ID, staticData, logger: silentLogger });
	let started = performance.now();
	for (const event of events) store.metrics.record(event);
	const recordMs = performance.now() - started;
	const commit = await store.commit();
	const stateBytes = Buffer.byteLength(JSON.stringify(staticData[STATE_KEY]));

	const harness = monitorHarness();
	const getMetricsMs = await medianMs(5, async () => {
		const result = await harness.run(monitorWorkflow({ operation: 'getMetrics', window: 1440 }));
		if (result.json('Monitor')[0].total === undefined) throw new Error(result.error);
	});
	const getTrendsMs = await medianMs(5, async () => {
		const result = await harness.run(monitorWorkflow({ operation: 'getTrends', window: 1440, bucket: 'minute' }));
		if (result.json('Monitor')[0].points === undefined) throw new Error(result.error);
	});
	const calls = (await harness.run(monitorWorkflow({ operation: 'getMetrics', window: 1440 }))).json('Monitor')[0].total as { calls: number };

	// Baseline: totals and p95 per component straight from the raw events.
	const baselineMs = await medianMs(5, async () => {
		const byNode = new Map<string, number[]>();
		for (const event of events) {
			let durations = byNode.get(event.nodeName);
			if (!durations) byNode.set(event.nodeName, (durations = []));
			durations.push(event.durationMs);
		}
		for (const durations of byNode.values()) durations.sort((a, b) => a - b);
	});

	printTable(`Perf Monitor over ${EVENTS.toLocaleString('en')} events (8 components, 24 h)`, [
		{ what: 'Get Metrics, 24 h window (node in n8n engine)', ms: round(getMetricsMs, 1), ratioToBaseline: round(getMetricsMs / baselineMs, 3) },
		{ what: 'Get Trends, 24 h per minute (node in n8n engine)', ms: round(getTrendsMs, 1), ratioToBaseline: round(getTrendsMs / baselineMs, 3) },
		{ what: 'baseline: scan and sort the raw events', ms: round(baselineMs, 1), ratioToBaseline: 1 },
	]);
	printTable('Recording and persisted state', [
		{ what: 'record 1 M events', value: `${round((recordMs * 1e6) / EVENTS, 0)} ns/event` },
		{ what: 'calls reported by Get Metrics', value: calls.calls },
		{ what: 'persisted snapshot', value: `${stateBytes} bytes (cap ${DEFAULT_SNAPSHOT_MAX_BYTES})` },
		{ what: 'minute buckets left out of the snapshot', value: commit.droppedBuckets },
	]);
	printFigures({
		bench: 'monitor',
		getMetricsMs: round(getMetricsMs, 1),
		getTrendsMs: round(getTrendsMs, 1),
		baselineScanMs: round(baselineMs, 1),
		stateBytes,
		stateCapBytes: DEFAULT_SNAPSHOT_MAX_BYTES,
	});
}

main().catch((error) => {
	process.stderr.write(`${error?.stack ?? error}\n`);
	process.exit(1);
});
