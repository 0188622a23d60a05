import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { cacheOutcomeOfFailure, runAiCall, type AiCallOutcome } from '../../../lib/aiCall';
import { UNIT_OPERATIONS } from '../../../lib/metrics';
import { WorkSlicer } from '../../../lib/shared/yieldToEventLoop';
import { attemptsOf } from '../../../lib/resilience';
import { resolveEndpoint, type ProviderEndpoint, type ProviderKind } from '../../../lib/providers';
import { aiCallDependencies } from '../../shared/ai/aiCallDependencies';
import { recordAiCall } from '../../shared/ai/recordAiCall';
import { roundUsd } from '../../shared/ai/roundUsd';
import { runItems } from '../../shared/itemRunner';
import type { OperationContext, OperationResult } from '../../shared/operation';
import { ItemParameters } from '../../shared/parameters';
import { callFields } from './callFields';
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
}

/** The credential, resolved to the provider's endpoint, and the node-level settings, read before the state is opened. */
async function readCallSettings(context: IExecuteFunctions): Promise<CallSettings> {
	return { endpoint: resolveEndpoint(await context.getCredentials('optimizedAiApi')), node: readAiSettings(context, aiCallOptimization) };
}

/** Answers every item: from the cache, a shared in-flight call or the provider. */
async function execute({ context, store, settings: call }: OperationContext<CallSettings>): Promise<OperationResult> {
	const node = context.getNode();
	const { endpoint, node: settings } = call;
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

function outputItem(outcome: AiCallOutcome, model: string, provider: ProviderKind, itemIndex: number, includeRaw: boolean): INodeExecutionData {
	const json: IDataObject = { text: outcome.text };
	if (outcome.json !== undefined) json.json = outcome.json as IDataObject;
	json.usage = { input: outcome.usage.input, output: outcome.usage.output, cachedInput: outcome.usage.cachedInput };
	if (outcome.usage.cacheWrite > 0) (json.usage as IDataObject).cacheWrite = outcome.usage.cacheWrite;
	json.cost = { usd: roundUsd(outcome.costUsd), savedUsd: roundUsd(outcome.savedUsd) };
	const optimization: IDataObject = {
		cache: outcome.cache,
		tokensBefore: outcome.tokensBefore,
		tokensAfter: outcome.tokensAfter,
		tokenCount: outcome.tokenCount,
		attempts: outcome.attempts,
		latencyMs: Math.round(outcome.latencyMs * 1000) / 1000,
		provider,
		model,
		finishReason: outcome.finishReason,
	};
	if (outcome.cacheBypassReason) optimization.cacheBypassReason = outcome.cacheBypassReason;
	if (outcome.similarTo) optimization.similarTo = outcome.similarTo;
	json.optimization = optimization;
	if (includeRaw && outcome.raw !== undefined) json.raw = outcome.raw as IDataObject;
	return { json, pairedItem: { item: itemIndex } };
}
