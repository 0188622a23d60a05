import { performance } from 'node:perf_hooks';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import pLimit from 'p-limit';
import {
	adaptiveBatchSize,
	batchIdFor,
	BATCH_ENVELOPE_BYTES,
	buildBatchPayload,
	correlationFieldBytes,
	lookupBatchResults,
	mapBatchResults,
	planBatches,
	resultCacheKey,
	storeBatchResults,
	WEBHOOK_HARD_LIMIT_BYTES,
	type PlannedBatch,
	type ResultObject,
} from '../../../lib/dispatch/batches';
import { UNIT_OPERATIONS } from '../../../lib/metrics';
import type { StateStore } from '../../../lib/state';
import { errorClassOf } from '../../shared/errors';
import type { OperationContext, OperationResult } from '../../shared/operation';
import { batchingFields } from './batchingFields';
import { ADAPTIVE_MAX_ITEMS_PER_BATCH, batchSizingFields, subWorkflowCosts } from './batchSizing';
import { buildOutput, type BatchOutcome } from './batchOutput';
import { readSettings, type BatchSettings } from './readSettings';
import { subWorkflowTarget } from './subWorkflowTarget';
import { webhookTarget } from './webhookTarget';

const showForSubWorkflow = { show: { target: ['subWorkflow'] } };
const showForWebhook = { show: { target: ['webhook'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Target',
		name: 'target',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Sub-Workflow', value: 'subWorkflow', description: 'A workflow of this n8n, run in process once per batch' },
			{ name: 'Webhook URLs', value: 'webhook', description: 'Production webhook URLs of this or other n8n instances' },
		],
		default: 'subWorkflow',
	},
	{
		displayName: 'Workflow',
		name: 'workflowId',
		type: 'workflowSelector',
		default: '',
		required: true,
		hint: 'Outside manual runs n8n runs the sub-workflow\'s published version, so publish it first',
		displayOptions: showForSubWorkflow,
	},
	{
		displayName: 'Webhook URLs',
		name: 'webhookUrls',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		placeholder: 'e.g. https://n8n-a.example.com/webhook/process-batch',
		description: 'One URL per line (or comma-separated); batches are balanced across them, with failover',
		displayOptions: showForWebhook,
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Batch Webhook Auth', value: 'credential', description: 'Header or basic auth, as the receiving Webhook node expects' },
		],
		default: 'none',
		displayOptions: showForWebhook,
	},
	...batchSizingFields,
	...batchingFields,
];

export { readSettings };

/** Plans the batches, sends them, and maps the answers back to the input items. */
export async function execute({ context, store, items, settings }: OperationContext<BatchSettings>): Promise<OperationResult> {
	const node = context.getNode();
	const json = items.map((item) => item.json as Record<string, unknown>);
	const target = settings.target === 'webhook' ? await webhookTarget(context, store, settings) : subWorkflowTarget(context, settings);
	const adaptive = settings.adaptiveSizing
		? adaptiveBatchSize(items.length, subWorkflowCosts.get(target.label), { maxInFlight: settings.maxInFlight, maxItemsPerBatch: ADAPTIVE_MAX_ITEMS_PER_BATCH })
		: undefined;
	const maxItems = adaptive?.itemsPerBatch ?? settings.batchSize;
	const plan = planBatches(json, {
		maxItems,
		maxBytes: settings.maxBatchBytes,
		groupBy: settings.groupBy,
		hardLimitBytes: WEBHOOK_HARD_LIMIT_BYTES - BATCH_ENVELOPE_BYTES,
		itemOverheadBytes: correlationFieldBytes(settings.correlationField, items.length),
	});
	const cache = settings.resultCache && settings.waitForResults ? store.caches.open(`batch:node:${node.name}`, { maxEntries: 1000, ttlMs: settings.resultCacheTtlMs }) : undefined;
	const signal = context.getExecutionCancelSignal?.();
	const limit = pLimit(settings.maxInFlight);
	const queuedAt = performance.now();

	const outcomes = await Promise.all(
		plan.batches.map((batch) =>
			limit(async (): Promise<BatchOutcome> => {
				const started = performance.now();
				const queueWaitMs = started - queuedAt;
				let payload: ReturnType<typeof buildBatchPayload>;
				try {
					payload = buildBatchPayload(batch, json, {
						correlationField: settings.correlationField,
						batchId: batchIdFor(target.label, batch.itemIndexes, context.getExecutionId() ?? 'manual'),
					});
				} catch (error) {
					// An item that already carries the correlation field: its batch is not sent, the others are.
					return { batch, attempts: 0, latencyMs: 0, cached: false, error };
				}
				const cacheKey = cache ? resultCacheKey(target.cacheTarget, payload.items, { correlationField: settings.correlationField }) : undefined;
				// A batch that fails after its lookup found nothing is a miss, as the cache's own counters have it.
				let lookupMissed = false;
				try {
					if (cache && cacheKey) {
						const hit = await lookupBatchResults(cache, cacheKey, batch);
						if (hit) {
							const latencyMs = performance.now() - started;
							record(context, store, settings, batch, { latencyMs, queueWaitMs, cache: 'hit' });
							return { batch, results: hit, attempts: 0, latencyMs, cached: true, via: target.label };
						}
						lookupMissed = true;
					}
					const answer = await target.send(payload.batchId, payload.items, signal);
					const latencyMs = performance.now() - started;
					let results: Map<number, ResultObject[]> | undefined;
					let unmatched: ResultObject[] | undefined;
					if (settings.waitForResults) {
						({ byItemIndex: results, unmatched } = mapBatchResults(batch, payload.items, answer.items, { correlationField: settings.correlationField }));
						if (cache && cacheKey && unmatched.length === 0) await storeBatchResults(cache, cacheKey, batch, results, { ttlMs: settings.resultCacheTtlMs });
					}
					record(context, store, settings, batch, {
						latencyMs,
						queueWaitMs,
						cache: cache ? 'miss' : undefined,
						retries: answer.attempts - 1,
						bytesRaw: answer.bytesRaw,
						bytesSent: answer.bytesSent,
					});
					return { batch, results, unmatched, via: answer.via, attempts: answer.attempts, latencyMs, cached: false };
				} catch (error) {
					const latencyMs = performance.now() - started;
					record(context, store, settings, batch, { latencyMs, queueWaitMs, cache: lookupMissed ? 'miss' : undefined, outcome: errorClassOf(error) });
					return { batch, attempts: (error as { attempts?: number }).attempts ?? 1, latencyMs, cached: false, error };
				}
			}),
		),
	);
	// Only dispatches that ran every batch for real say what the sub-workflow costs.
	if (adaptive && outcomes.every((outcome) => outcome.error === undefined && !outcome.cached)) {
		subWorkflowCosts.record(target.label, adaptive.shape, { wallMs: performance.now() - queuedAt, items: items.length });
	}
	return [buildOutput(context, items.length, plan.oversized, outcomes, settings, target.label)];
}

function record(
	context: IExecuteFunctions,
	store: StateStore,
	settings: BatchSettings,
	batch: PlannedBatch,
	facts: { latencyMs: number; queueWaitMs: number; cache?: 'hit' | 'miss'; outcome?: ReturnType<typeof errorClassOf>; retries?: number; bytesRaw?: number; bytesSent?: number },
): void {
	const node = context.getNode();
	store.metrics.record({
		nodeType: node.type,
		nodeName: node.name,
		operation: settings.target === 'webhook' ? UNIT_OPERATIONS.webhookBatch : UNIT_OPERATIONS.subWorkflowBatch,
		durationMs: facts.latencyMs,
		items: batch.itemIndexes.length,
		cache: facts.cache,
		outcome: facts.outcome ?? 'ok',
		retries: facts.retries,
		bytesRaw: facts.bytesRaw ?? batch.bytes,
		bytesCompressed: facts.bytesSent ?? facts.bytesRaw ?? batch.bytes,
	});
	// A sub-operation: time before the batch's dispatch started, not a call of its own.
	store.metrics.record({ nodeType: node.type, nodeName: node.name, operation: 'queueWait', durationMs: facts.queueWaitMs, items: batch.itemIndexes.length });
}
