/**
 * Provider Batch delivery of Optimized AI Call, in process through n8n-core's WorkflowExecute, against the LLM
 * stub's OpenAI batch API: 2,000 items over 500 distinct prompts, 100 of them answered (and cached) before by an
 * immediate run of the same node.
 * - Run 1: the batch is submitted and still in progress when the node's maximum wait runs out; the execution ends
 *   with the batch recorded in the workflow's static data.
 * - A simulated restart of n8n (the process-wide state is dropped; only the saved static data remains), then the
 *   batch ends at the provider and run 2 sends the same items.
 * - Baseline: the same 400 distinct uncached prompts sent with Immediate delivery by another node, in this run.
 * Goal: requests submitted = distinct uncached prompts, cost = half the immediate cost, nothing resubmitted.
 */
import type { IDataObject } from 'n8n-workflow';
import { resetSharedProcessState } from '../lib/state';
import { startLlmStub } from '../test/helpers/llmStub';
import { aiHarness, aiWorkflow, STUB_KEY } from '../test/nodes/OptimizedAiCall/aiWorkflow';
import { printFigures, printTable, round } from './report';

const ITEMS = 2_000;
const DISTINCT = 500;
const CACHED = 100;

const prompt = (index: number) => `Classify support ticket number ${index} by urgency`;
const sumUsd = (items: IDataObject[]) => items.reduce((sum, item) => sum + (((item.cost as IDataObject | undefined)?.usd as number | null) ?? 0), 0);

async function main(): Promise<void> {
	process.env.N8N_LOG_LEVEL = 'silent';
	const stub = await startLlmStub({ apiKey: STUB_KEY });
	try {
		const { harness } = aiHarness(stub.url);
		const batchOptions = { pollIntervalSeconds: 0.01 };
		const batchWorkflow = (maxWaitHours?: number) =>
			aiWorkflow({ delivery: 'providerBatch', batchOptions: { ...batchOptions, ...(maxWaitHours === undefined ? {} : { maxWaitHours }) } }, { id: 'benchBatch' });
		harness.database.add(batchWorkflow());

		// 100 prompts answered before, by the same node with Immediate delivery: they sit in its cache.
		const warm = await harness.run(aiWorkflow({}, { id: 'benchBatch' }), { input: Array.from({ length: CACHED }, (_, index) => ({ prompt: prompt(index) })) });
		if (warm.status !== 'success') throw new Error(`warming the cache failed: ${warm.error}`);

		const input = Array.from({ length: ITEMS }, (_, index) => ({ prompt: prompt(index % DISTINCT) }));
		stub.batches.configure({ completionDelayMs: 3_600_000 });
		const waitStarted = performance.now();
		const first = await harness.run(batchWorkflow(100 / 3_600_000), { input });
		const firstMs = performance.now() - waitStarted;
		if (first.status !== 'error' || !/still in progress after the maximum wait/.test(first.error ?? '')) {
			throw new Error(`run 1 should have stopped waiting with the batch in progress, got ${first.status}: ${first.error}`);
		}
		const beforeRestart = stub.batches.stats();

		resetSharedProcessState();
		stub.batches.finishAll();
		const resumedStarted = performance.now();
		const second = await harness.run(batchWorkflow(), { input });
		const resumedMs = performance.now() - resumedStarted;
		if (second.status !== 'success') throw new Error(`run 2 failed: ${second.error}`);
		const output = second.json('Ask');
		const wrong = output.findIndex((item, index) => item.text !== `echo: ${input[index].prompt}`);
		if (output.length !== ITEMS || wrong >= 0) throw new Error(`run 2 answered ${output.length} items; item ${wrong} has the wrong answer`);
		const afterRerun = stub.batches.stats();

		// Baseline: the same distinct uncached prompts, sent immediately by another node (its own cache).
		const baseline = await harness.run(aiWorkflow({}, { id: 'benchImmediate', nodeName: 'Immediate' }), {
			input: Array.from({ length: DISTINCT - CACHED }, (_, index) => ({ prompt: prompt(CACHED + index) })),
		});
		if (baseline.status !== 'success') throw new Error(`the immediate baseline failed: ${baseline.error}`);

		const costUsd = sumUsd(output);
		const immediateCostUsd = sumUsd(baseline.json('Immediate'));
		const outcomes: Record<string, number> = {};
		for (const item of output) {
			const cache = String((item.optimization as IDataObject).cache);
			outcomes[cache] = (outcomes[cache] ?? 0) + 1;
		}
		printTable('Provider Batch delivery (OpenAI batch API on the stub)', [
			{ step: 'run 1: submit, stop waiting', ms: round(firstMs, 1), batchesCreated: beforeRestart.batchesCreated, requestsSubmitted: beforeRestart.requestsSubmitted },
			{ step: 'restart, run 2: resume, answer', ms: round(resumedMs, 1), batchesCreated: afterRerun.batchesCreated, requestsSubmitted: afterRerun.requestsSubmitted },
		]);
		printTable('Items of run 2 by how they were served', Object.entries(outcomes).map(([cache, items]) => ({ cache, items })));
		printTable('Cost of the distinct uncached prompts (USD)', [
			{ delivery: 'provider batch', usd: costUsd.toFixed(8) },
			{ delivery: 'immediate (baseline)', usd: immediateCostUsd.toFixed(8) },
			{ delivery: 'ratio', usd: round(costUsd / immediateCostUsd, 4) },
		]);
		printFigures({
			bench: 'batch-api',
			items: ITEMS,
			distinctUncached: DISTINCT - CACHED,
			batchesCreated: afterRerun.batchesCreated,
			requestsSubmitted: afterRerun.requestsSubmitted,
			costUsd: round(costUsd, 8),
			immediateCostUsd: round(immediateCostUsd, 8),
			resubmittedAfterRestart: afterRerun.requestsSubmitted - beforeRestart.requestsSubmitted,
		});
	} finally {
		await stub.close();
	}
}

main().catch((error) => {
	process.stderr.write(`${error?.stack ?? error}\n`);
	process.exit(1);
});
