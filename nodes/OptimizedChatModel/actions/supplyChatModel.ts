import { performance } from 'node:perf_hooks';
import { supplyModel } from '@n8n/ai-node-sdk';
import type { IDataObject, INode, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { cacheOutcomeOfFailure, runAiCall, type AiCallOutcome } from '../../../lib/aiCall';
import { UNIT_OPERATIONS } from '../../../lib/metrics';
import { resolveEndpoint, type ProviderEndpoint } from '../../../lib/providers';
import { attemptsOf } from '../../../lib/resilience';
import { eitherSignal } from '../../../lib/shared/abortSignals';
import type { StateStore } from '../../../lib/state';
import { aiCallDependencies } from '../../shared/ai/aiCallDependencies';
import { chatModelOptimization } from '../../shared/ai/optimizationOptions';
import { readAiSettings } from '../../shared/ai/readAiSettings';
import { recordAiCall } from '../../shared/ai/recordAiCall';
import { roundUsd } from '../../shared/ai/roundUsd';
import { errorClassOf, toNodeError } from '../../shared/errors';
import { modelIdFrom } from '../../shared/modelList';
import { openStateStore } from '../../shared/state';
import { CallReports, reportingContext, type CallReport } from './callReports';
import { spentUsage } from './conversation';
import { readModelOptions } from './modelOptions';
import { OptimizedChatModel, type AnswerRequest } from './optimizedChatModel';

/**
 * Gives the root node (AI Agent, Basic LLM Chain, ...) a chat model whose every call goes through the same request
 * path as Optimized AI Call: the credential resolved once to an endpoint, then cache, coalescing, the per-credential
 * rate limits, retries honouring Retry-After, pricing and metrics. n8n calls this once per item of the root node.
 */
export async function supplyChatModel(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
	const node = this.getNode();
	const endpoint = await endpointOf(this, node);
	const model = modelIdFrom(this.getNodeParameter('model', itemIndex, ''), (problem) => new NodeOperationError(node, `'Model' ${problem}: pick a model or type its ID`));
	const options = readModelOptions(this, itemIndex, model);
	const settings = { ...readAiSettings(this, chatModelOptimization), timeoutMs: options.timeoutMs };
	const store = await openStateStore(this);
	const deps = aiCallDependencies({ node, store, endpoint, settings, signal: this.getExecutionCancelSignal?.() });
	const engineSettings = { ...settings.engine, price: settings.priceFor(model) };
	const reports = new CallReports();

	const answer: AnswerRequest = async (request, signal, onText) => {
		const started = performance.now();
		try {
			const outcome = await runAiCall(request, engineSettings, {
				...deps,
				signal: eitherSignal(deps.signal, signal),
				onChunk: onText ? (chunk) => chunk.type === 'text' && onText(chunk.delta) : undefined,
			});
			recordAiCall(store, node, UNIT_OPERATIONS.chatModelCall, outcome);
			reports.add(reportOf(outcome, endpoint, model));
			return outcome;
		} catch (error) {
			store.metrics.record({
				nodeType: node.type,
				nodeName: node.name,
				operation: UNIT_OPERATIONS.chatModelCall,
				durationMs: performance.now() - started,
				outcome: errorClassOf(error),
				cache: cacheOutcomeOfFailure(error),
				retries: Math.max(0, (attemptsOf(error) ?? 1) - 1),
			});
			throw toNodeError(node, error, itemIndex);
		} finally {
			// A sub-node has no "done" of its own: what each call changed is written to the workflow's state right away,
			// and n8n saves it with the execution.
			await commitQuietly(store, this);
		}
	};

	return supplyModel(reportingContext(this, reports), new OptimizedChatModel(endpoint.provider, options.parameters, answer));
}

async function endpointOf(context: ISupplyDataFunctions, node: INode): Promise<ProviderEndpoint> {
	try {
		return resolveEndpoint(await context.getCredentials('optimizedAiApi'));
	} catch (error) {
		throw new NodeOperationError(node, (error as Error).message);
	}
}

/** What the call's entry in the execution log adds to n8n's own: how it was served, what it cost and saved. */
function reportOf(outcome: AiCallOutcome, endpoint: ProviderEndpoint, model: string): CallReport {
	const optimization: IDataObject = {
		cache: outcome.cache,
		costUsd: roundUsd(outcome.costUsd),
		savedUsd: roundUsd(outcome.savedUsd),
		tokensSaved: outcome.tokensSaved,
		attempts: outcome.attempts,
		latencyMs: Math.round(outcome.latencyMs * 1000) / 1000,
		provider: endpoint.provider,
		model,
		finishReason: outcome.finishReason,
		toolCalls: outcome.toolCalls.map((call) => ({ name: call.name, arguments: call.argumentsText })),
	};
	if (outcome.cacheBypassReason) optimization.cacheBypassReason = outcome.cacheBypassReason;
	const { promptTokens, completionTokens, totalTokens } = spentUsage(outcome);
	return { text: outcome.text, tokenUsage: { promptTokens, completionTokens, totalTokens }, optimization };
}

async function commitQuietly(store: StateStore, context: ISupplyDataFunctions): Promise<void> {
	try {
		await store.commit();
	} catch (error) {
		context.logger.warn(`Optimized Chat Model could not save its state: ${(error as Error).message}`);
	}
}
