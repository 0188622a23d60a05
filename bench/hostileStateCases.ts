/**
 * Hostile cases beyond prompts and templates, for bench/hostile.bench.ts: Batch Workflow Trigger (10,000 tiny
 * items and one 15 MB item to a sub-workflow, and the batch planner alone), Perf Monitor's queries over a full
 * metrics store (many series x 24 h of minute buckets), and the static-data snapshot built and restored with a
 * full AI cache.
 */
import { planBatches } from '../lib/dispatch/batches';
import { MINUTE_MS } from '../lib/metrics';
import { systemClock } from '../lib/shared/clock';
import { silentLogger } from '../lib/shared/logger';
import { buildSnapshot, mergeSnapshot, parseSnapshot, resetSharedProcessState, WorkflowState } from '../lib/state';
import { batchHarness, batchWorkflow, doublingSubWorkflow } from '../test/nodes/BatchWorkflowTrigger/batchWorkflow';
import { monitorHarness, monitorWorkflow, recordEvents } from '../test/nodes/PerfMonitor/monitorWorkflow';

/** Runs one case; `size` is bytes (a number) or a label such as `10000 items`. */
export type Measure = (engine: string, shape: string, size: number | string, work: () => Promise<string | void>) => Promise<void>;

const SERIES = 200;
const DAY_MINUTES = 1440;

export async function batchCases(measure: Measure, tinyItems: number, hugeBytes: number): Promise<void> {
	const tiny = Array.from({ length: tinyItems }, (_, index) => ({ value: index, name: `n${index}` }));
	const huge = [{ value: 1, blob: 'A'.repeat(hugeBytes) }];
	await measure('batchPlanner', 'tinyItems', `${tinyItems} items`, async () => `${planBatches(tiny, { maxItems: 100 }).batches.length} batches`);
	await measure('batchPlanner', 'oneHugeItem', hugeBytes, async () => {
		const plan = planBatches(huge, { maxItems: 100 });
		return `${plan.batches.length} batches, ${plan.oversized.length} oversized`;
	});
	const harness = batchHarness();
	harness.database.add(doublingSubWorkflow());
	const parameters = { target: 'subWorkflow', workflowId: { __rl: true, mode: 'id', value: 'doubleSub1' }, batchSize: 100 };
	for (const [shape, size, input] of [['tinyItems', `${tinyItems} items`, tiny], ['oneHugeItem', hugeBytes, huge]] as const) {
		resetSharedProcessState();
		await measure('node:BatchWorkflowTrigger', shape, size, async () => {
			const result = await harness.run(batchWorkflow(parameters, { id: `hostileBatch${shape}` }), { input: [...input] });
			return result.status === 'success' ? `${result.json('Send').length} items` : `failed: ${String(result.error).slice(0, 80)}`;
		});
	}
}

/** Perf Monitor over SERIES components, each with an event in every minute of the last 24 hours. */
export async function monitorCases(measure: Measure): Promise<void> {
	await resetSharedProcessState();
	const now = Date.now();
	const events = [];
	for (let minute = DAY_MINUTES - 1; minute >= 0; minute--) {
		for (let series = 0; series < SERIES; series++) {
			events.push({ nodeName: `Node ${series}`, durationMs: 10 + ((minute * 7 + series) % 90), at: now - minute * MINUTE_MS, cache: minute % 3 === 0 ? ('hit' as const) : ('miss' as const) });
		}
	}
	recordEvents(events);
	const harness = monitorHarness();
	const shape = `${SERIES}series24h`;
	const queries: Array<[string, Record<string, unknown>]> = [
		['getMetrics', { operation: 'getMetrics', window: DAY_MINUTES }],
		['getBottlenecks', { operation: 'getBottlenecks', window: DAY_MINUTES }],
		['getTrends', { operation: 'getTrends', window: DAY_MINUTES, bucket: 'minute' }],
		['exportPrometheus', { operation: 'exportPrometheus' }],
		['renderChart', { operation: 'renderChart', window: DAY_MINUTES }],
	];
	for (const [name, parameters] of queries) {
		await measure(`node:PerfMonitor ${name}`, shape, `${events.length} events`, async () => {
			const result = await harness.run(monitorWorkflow(parameters as never, { id: 'monitorWf1' }));
			return result.status === 'success' ? `${result.items('Monitor').length} items` : `failed: ${String(result.error).slice(0, 80)}`;
		});
	}
}

/** A snapshot built from, and restored into, a workflow whose AI cache holds `entries` answers. */
export async function snapshotCases(measure: Measure, entries: number): Promise<void> {
	const state = new WorkflowState('hostileSnapshot', 'bench', systemClock, silentLogger);
	const cache = state.cache('ai:workflow', { maxEntries: entries, ttlMs: 0 });
	for (let index = 0; index < entries; index++) cache.set(`key${index}`, { text: `answer ${index} `.repeat(20), usage: { input: 10, output: 20 } });
	// One answer of megabytes among them, which no snapshot can hold.
	cache.set('huge', { text: 'A'.repeat(4 * 1024 * 1024) });
	let built: ReturnType<typeof buildSnapshot> | undefined;
	await measure('snapshot build', 'fullCache', `${entries} entries`, async () => {
		built = buildSnapshot(state, 64 * 1024, systemClock);
		return `${built.bytes} bytes, ${built.droppedCacheEntries} dropped`;
	});
	await measure('snapshot restore', 'fullCache', `${entries} entries`, async () => {
		const restored = new WorkflowState('hostileSnapshot', 'other', systemClock, silentLogger);
		return `${mergeSnapshot(restored, parseSnapshot(JSON.parse(JSON.stringify(built!.snapshot)))).cacheEntriesTaken} entries`;
	});
}
