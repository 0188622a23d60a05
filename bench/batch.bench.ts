/**
 * Batch Workflow Trigger, everything in this process.
 * (a) 10,000 items to a trivial sub-workflow (Execute Workflow Trigger -> Set) through n8n-core's WorkflowExecute:
 *     ours (batch 100, 4 in flight) against n8n's own Execute Workflow node in "run once for each item" mode
 *     (one sub-execution per item, one after another). Wall time and sub-executions.
 * (b) 10,000 realistic JSON records to a local receiver that answers after 5 ms: ours (batch 100, 4 in flight,
 *     keep-alive, gzip) against one request per item on a fresh connection, 4 at a time (what
 *     `helpers.httpRequest` does). Wall time, TCP connections opened, bytes on the wire with and without gzip.
 */
import { request as httpRequest, Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { resetSharedProcessState } from '../lib/state';
import { startWebhookReceiver } from '../test/helpers/webhookReceiver';
import { batchHarness, batchWorkflow, doublingSubWorkflow } from '../test/nodes/BatchWorkflowTrigger/batchWorkflow';
import { printFigures, printTable, round } from './report';

const ITEMS = 10_000;

function records(count: number) {
	return Array.from({ length: count }, (_, index) => ({
		value: index,
		orderId: `ORD-${100000 + index}`,
		customer: { id: `C-${index % 700}`, name: `Customer ${index % 700}`, email: `customer${index % 700}@example.com`, country: index % 2 ? 'DE' : 'FR' },
		status: index % 5 ? 'paid' : 'pending',
		total: Math.round(((index * 7919) % 100000) / 10) / 10,
		currency: 'EUR',
		lines: [
			{ sku: `SKU-${index % 50}`, quantity: 1 + (index % 3), price: 9.99 },
			{ sku: `SKU-${(index + 7) % 50}`, quantity: 1, price: 24.5 },
		],
		createdAt: '2026-11-26T10:00:00.000Z',
	}));
}

async function subWorkflowRun() {
	await resetSharedProcessState();
	const harness = batchHarness();
	harness.database.add(doublingSubWorkflow());
	const input = records(ITEMS).map(({ value }) => ({ value }));
	const ours = batchWorkflow({ target: 'subWorkflow', workflowId: { __rl: true, mode: 'id', value: 'doubleSub1' }, batchSize: 100, maxInFlight: 4 }, { id: 'benchBatch' });
	await harness.run(ours, { input: input.slice(0, 200) });
	let started = performance.now();
	const result = await harness.run(ours, { input });
	const oursMs = performance.now() - started;
	if (result.json('Send').length !== ITEMS) throw new Error(`batch run returned ${result.json('Send').length} items: ${result.error}`);
	const subExecutionsOurs = result.run.data.resultData.runData.Send[0].metadata?.subExecutionsCount as number;

	const baseline = {
		id: 'benchEach',
		name: 'Execute Workflow once for each item',
		nodes: [
			{ id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
			{
				id: 'e',
				name: 'Each',
				type: 'n8n-nodes-base.executeWorkflow',
				typeVersion: 1.2,
				position: [200, 0] as [number, number],
				parameters: { source: 'database', workflowId: { __rl: true, mode: 'id', value: 'doubleSub1' }, mode: 'each', options: { waitForSubWorkflow: true } },
			},
		],
		connections: { Start: { main: [[{ node: 'Each', type: 'main' as const, index: 0 }]] } },
	};
	started = performance.now();
	const each = await harness.run(baseline, { input });
	const baselineMs = performance.now() - started;
	if (each.status !== 'success') throw new Error(`baseline failed: ${each.error}`);
	return { oursMs, baselineMs, subExecutionsOurs, subExecutionsBaseline: each.json('Each').length };
}

async function webhookRun() {
	await resetSharedProcessState();
	const receiver = await startWebhookReceiver('bench', { latencyMs: 5 });
	const input = records(ITEMS);
	const harness = batchHarness();
	const ours = batchWorkflow({ target: 'webhook', webhookUrls: receiver.url, batchSize: 100, maxInFlight: 4 }, { id: 'benchHook' });
	let started = performance.now();
	const result = await harness.run(ours, { input });
	const oursMs = performance.now() - started;
	if (result.json('Send').length !== ITEMS) throw new Error(`webhook run returned ${result.json('Send').length} items: ${result.error}`);
	const connectionsOurs = receiver.connections();
	const wireBytesGzip = receiver.batches.reduce((sum, batch) => sum + batch.wireBytes, 0);
	const rawBytes = receiver.batches.reduce((sum, batch) => sum + Buffer.byteLength(JSON.stringify(batch.body)), 0);
	await resetSharedProcessState();

	// Baseline: a fresh connection per item, 4 at a time.
	const before = receiver.connections();
	const limit = pLimit(4);
	let baselineBytes = 0;
	started = performance.now();
	await Promise.all(
		input.map((item, index) =>
			limit(
				() =>
					new Promise<void>((resolve, reject) => {
						const body = JSON.stringify({ batchId: `item-${index}`, items: [item] });
						baselineBytes += Buffer.byteLength(body);
						const request = httpRequest(receiver.url, { method: 'POST', agent: new Agent({ keepAlive: false }), headers: { 'content-type': 'application/json' } }, (response) => {
							response.resume();
							response.on('end', resolve);
						});
						request.on('error', reject);
						request.end(body);
					}),
			),
		),
	);
	const baselineMs = performance.now() - started;
	const connectionsBaseline = receiver.connections() - before;
	await receiver.close();
	return { oursMs, baselineMs, connectionsOurs, connectionsBaseline, wireBytesGzip, rawBytes, baselineBytes };
}

async function main() {
	process.env.N8N_LOG_LEVEL = 'silent';
	const sub = await subWorkflowRun();
	const hook = await webhookRun();
	const gzipBytesSavedPct = round((1 - hook.wireBytesGzip / hook.rawBytes) * 100, 1);
	printTable(`(a) ${ITEMS.toLocaleString('en')} items to a sub-workflow`, [
		{ run: 'Batch Workflow Trigger (100 per batch, 4 in flight)', wallMs: round(sub.oursMs, 0), subExecutions: sub.subExecutionsOurs, speedup: round(sub.baselineMs / sub.oursMs, 1) },
		{ run: 'Execute Workflow, once for each item (baseline)', wallMs: round(sub.baselineMs, 0), subExecutions: sub.subExecutionsBaseline, speedup: 1 },
	]);
	printTable(`(b) ${ITEMS.toLocaleString('en')} records to a webhook answering in 5 ms`, [
		{ run: 'Batch Workflow Trigger (100 per batch, 4 in flight, keep-alive, gzip)', wallMs: round(hook.oursMs, 0), connections: hook.connectionsOurs, wireBytes: hook.wireBytesGzip, speedup: round(hook.baselineMs / hook.oursMs, 1) },
		{ run: 'one request per item, fresh connection, 4 at a time (baseline)', wallMs: round(hook.baselineMs, 0), connections: hook.connectionsBaseline, wireBytes: hook.baselineBytes, speedup: 1 },
	]);
	process.stdout.write(`Batches as JSON: ${hook.rawBytes} bytes; gzip on the wire: ${hook.wireBytesGzip} bytes (-${gzipBytesSavedPct}%)\n`);
	printFigures({
		bench: 'batch',
		subworkflowSpeedup: round(sub.baselineMs / sub.oursMs, 1),
		subExecutionsOurs: sub.subExecutionsOurs,
		subExecutionsBaseline: sub.subExecutionsBaseline,
		webhookSpeedup: round(hook.baselineMs / hook.oursMs, 1),
		connectionsOurs: hook.connectionsOurs,
		connectionsBaseline: hook.connectionsBaseline,
		gzipBytesSavedPct,
	});
}

main().catch((error) => {
	process.stderr.write(`${error?.stack ?? error}\n`);
	process.exit(1);
});
