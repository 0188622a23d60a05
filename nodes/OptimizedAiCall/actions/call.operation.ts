import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { cacheOutcomeOfFailure, runAiCall } from '../../../lib/aiCall';
import { UNIT_OPERATIONS } from '../../../lib/metrics';
import { WorkSlicer } from '../../../lib/shared/yieldToEventLoop';
import { attemptsOf } from '../../../lib/resilience';
import { resolveEndpoint, type ProviderEndpoint } from '../../../lib/providers';
import { aiCallDependencies } from '../../shared/ai/aiCallDependencies';
import { recordAiCall } from '../../shared/ai/recordAiCall';
import { runItems } from '../../shared/itemRunner';
import type { OperationContext, OperationResult } from '../../shared/operation';
import { ItemParameters } from '../../shared/parameters';
import { callFields } from './callFields';
import { executeInBatches } from './batchCall';
import { readDelivery, type DeliverySettings } from './deliveryFields';
import { outputItem } from './outputItem';
import { readItemRequest } from './readItemRequest';
import { aiCallOptimization } from '../../shared/ai/optimizationOptions';
import { readAiSettings, type AiNodeSettings } from '../../shared/ai/readAiSettings';

export const description: INodeProperties[] = callFields;

export { execute, readCallSettings as readSettings };

/**
 * How many items are worked on at once. Larger than the provider limit on purpose: items served from the cache
 * or waiting on an identical in-flight call must not hold a provider slot, so the node looks ahead for new work.
 */
const ITEM_LOOKAHEAD_PER_SLOT = 50;

interface CallSettings {
	endpoint: ProviderEndpoint;
	node: AiNodeSettings;
	delivery: DeliverySettings;
}

/** The credential, resolved to the provider's endpoint, and the node-level settings, read before the state is opened. */
async function readCallSettings(context: IExecuteFunctions): Promise<CallSettings> {
	return {
		endpoint: resolveEndpoint(await context.getCredentials('optimizedAiApi')),
		node: readAiSettings(context, aiCallOptimization),
		delivery: readDelivery(context),
	};
}

/** Answers every item: from the cache, a shared in-flight call or the provider, or through the provider's batch API. */
async function execute(operation: OperationContext<CallSettings>): Promise<OperationResult> {
	const { context, store, settings: call } = operation;
	const { endpoint, node: settings, delivery } = call;
	if (delivery.mode === 'providerBatch') return [await executeInBatches(operation, endpoint, settings, delivery)];
	const node = context.getNode();
	const provider = endpoint.provider;
	const signal = context.getExecutionCancelSignal?.();
	// Cache hits finish in microtasks, so 10,000 of them would run as one block: items start in slices, and one
	// item's long steps (a 15 MB prompt's hash and token count) yield through the same slices.
	const slicer = new WorkSlicer();
	// "Max parallel requests" bounds provider calls, not items: hits and coalesced items wait on no slot.
	const deps = aiCallDependencies({ node, store, endpoint, settings, signal, maxConcurrent: settings.maxConcurrency, slicer });

	const parameters = new ItemParameters(context);
	const output = await runItems(
		{
			context,
			store,
			unitOperation: UNIT_OPERATIONS.aiCall,
			concurrency: settings.maxConcurrency * ITEM_LOOKAHEAD_PER_SLOT,
			slicer,
			failureFacts: (error) => ({ cache: cacheOutcomeOfFailure(error), retries: Math.max(0, (attemptsOf(error) ?? 1) - 1) }),
		},
		async (itemIndex) => {
			const request = readItemRequest(context, parameters, itemIndex);
			const outcome = await runAiCall(request, { ...settings.engine, price: settings.priceFor(request.model) }, deps);
			recordAiCall(store, node, UNIT_OPERATIONS.aiCall, outcome);
			return outputItem(outcome, request.model, provider, itemIndex, settings.includeRaw);
		},
	);
	return [output];
}
