import { performance } from 'node:perf_hooks';
import type { INode, INodeExecutionData } from 'n8n-workflow';
import { deliverInBatches, type BatchItem, type BatchReport } from '../../../lib/batchDelivery';
import { AI_BATCH_OPERATIONS, UNIT_OPERATIONS } from '../../../lib/metrics';
import { createBatchClient, type ProviderEndpoint } from '../../../lib/providers';
import { sleepWithSignal } from '../../../lib/resilience';
import { systemClock } from '../../../lib/shared/clock';
import { processShutdownSignal } from '../../../lib/shared/processShutdown';
import { WorkSlicer } from '../../../lib/shared/yieldToEventLoop';
import type { StateStore } from '../../../lib/state';
import { aiCallDependencies } from '../../shared/ai/aiCallDependencies';
import type { AiNodeSettings } from '../../shared/ai/readAiSettings';
import { recordAiCall } from '../../shared/ai/recordAiCall';
import { inContext } from '../../shared/errors';
import { runItems } from '../../shared/itemRunner';
import type { OperationContext } from '../../shared/operation';
import { ItemParameters } from '../../shared/parameters';
import type { DeliverySettings } from './deliveryFields';
import { outputItem } from './outputItem';
import { readItemRequest } from './readItemRequest';

type BatchDelivery = Extract<DeliverySettings, { mode: 'providerBatch' }>;

/**
 * Provider Batch delivery: every item's request is read first (a bad item fails before anything is paid for, or
 * becomes its error item with continue-on-fail), the engine serves the cache and sends the rest as batches, and
 * the item runner hands out answers and error items as in immediate delivery.
 */
export async function executeInBatches(
	{ context, store }: OperationContext<unknown>,
	endpoint: ProviderEndpoint,
	settings: AiNodeSettings,
	delivery: BatchDelivery,
): Promise<INodeExecutionData[]> {
	const node = context.getNode();
	const slicer = new WorkSlicer();
	const parameters = new ItemParameters(context);
	const requests: BatchItem[] = [];
	const unreadable = new Map<number, unknown>();
	for (let itemIndex = 0; itemIndex < context.getInputData().length; itemIndex++) {
		await slicer.maybeYield();
		try {
			requests.push({ itemIndex, request: readItemRequest(context, parameters, itemIndex) });
		} catch (error) {
			if (!context.continueOnFail()) throw error;
			unreadable.set(itemIndex, error);
		}
	}

	// The cache and its namespace exactly as immediate delivery opens them, so both share answers.
	const { cache } = aiCallDependencies({ node, store, endpoint, settings, slicer });
	const shutdown = processShutdownSignal();
	let result;
	try {
		result = await deliverInBatches(
			requests,
			{ ...settings.engine, priceFor: settings.priceFor, ...delivery },
			{
				// The execution's signal goes with each call, not the client: cancelling a batch must still reach the provider.
				client: createBatchClient(endpoint, { timeoutMs: settings.timeoutMs }),
				endpoint,
				cache,
				records: store.records,
				// Saves the record of a submitted batch at once (Redis) or into this execution's static data.
				persist: () => store.commit(),
				sleep: sleepWithSignal,
				clock: systemClock,
				now: () => performance.now(),
				signal: context.getExecutionCancelSignal?.(),
				shutdown: shutdown.signal,
				slicer,
			},
		);
	} finally {
		shutdown.dispose();
	}
	recordBatches(store, node, result.batches);

	const models = new Map(requests.map(({ itemIndex, request }) => [itemIndex, request.model]));
	return await runItems({ context, store, unitOperation: UNIT_OPERATIONS.aiCall, slicer }, async (itemIndex) => {
		if (unreadable.has(itemIndex)) throw unreadable.get(itemIndex);
		const delivered = result.items.get(itemIndex);
		if (delivered === undefined) throw new Error(`Item ${itemIndex}: no answer and no error came back from the batch delivery`);
		if ('error' in delivered) throw inContext(delivered.error, `Item ${itemIndex}`);
		recordAiCall(store, node, UNIT_OPERATIONS.aiCall, delivered.outcome);
		return outputItem(delivered.outcome, models.get(itemIndex)!, endpoint.provider, itemIndex, settings.includeRaw, { delivery: 'batch', batchId: delivered.batchId });
	});
}

/** Submissions, and time to completion with cost and savings, as sub-operations Perf Monitor shows apart. */
function recordBatches(store: StateStore, node: INode, batches: readonly BatchReport[]): void {
	for (const batch of batches) {
		const series = { nodeType: node.type, nodeName: node.name };
		if (!batch.resumed) store.metrics.record({ ...series, operation: AI_BATCH_OPERATIONS.submit, durationMs: batch.submitMs ?? 0, items: batch.requests });
		if (batch.endedAt === undefined) continue;
		store.metrics.record({
			...series,
			operation: AI_BATCH_OPERATIONS.complete,
			durationMs: Math.max(0, batch.endedAt - batch.submittedAt),
			items: batch.requests,
			costUsd: batch.costUsd,
			costSavedUsd: batch.savedUsd,
		});
	}
}
