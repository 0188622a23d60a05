import { performance } from 'node:perf_hooks';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import pLimit from 'p-limit';
import { cacheOutcomeOfFailure, runAiCall, type AiCallOutcome } from '../../../lib/aiCall';
import { UNIT_OPERATIONS } from '../../../lib/metrics';
import { WorkSlicer } from '../../../lib/shared/yieldToEventLoop';
import { attemptsOf, sleepWithSignal } from '../../../lib/resilience';
import { createChatClient, resolveEndpoint, type ProviderKind } from '../../../lib/providers';
import { systemClock } from '../../../lib/shared/clock';
import { continuingOnFail } from '../../shared/continueOnFail';
import { errorClassOf, errorItem, toNodeError } from '../../shared/errors';
import { ItemParameters } from '../../shared/parameters';
import { withStateStore } from '../../shared/state';
import { readItemRequest } from './readItemRequest';
import { readSettings } from './readSettings';

/**
 * How many items are worked on at once. Larger than the provider limit on purpose: items served from the cache
 * or waiting on an identical in-flight call must not hold a provider slot, so the node looks ahead for new work.
 */
const ITEM_LOOKAHEAD_PER_SLOT = 50;

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await continuingOnFail(this, async () => await callForEachItem.call(this));
}

/** Reads the credential and settings, then answers every item (from the cache, a shared call or the provider). */
async function callForEachItem(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const endpoint = resolveEndpoint(await this.getCredentials('optimizedAiApi'));
	const settings = readSettings(this);
	const signal = this.getExecutionCancelSignal?.();
	// "Max parallel requests" bounds provider calls, not items: hits and coalesced items wait on no slot.
	const client = createChatClient(endpoint, { timeoutMs: settings.timeoutMs, maxConcurrent: settings.maxConcurrency });

	return await withStateStore(this, 'optimization', async (store) => {
		const namespace = settings.cacheScope === 'workflow' ? 'ai:workflow' : `ai:node:${node.name}`;
		const usesCache = settings.engine.cacheMode !== 'off';
		const cache = usesCache
			? store.caches.open(namespace, { maxEntries: settings.cacheMaxEntries, ttlMs: settings.engine.cacheTtlMs })
			: undefined;
		// Cache hits finish in microtasks, so 10,000 of them would run as one block: items start in slices, and one
		// item's long steps (a 15 MB prompt's hash and token count) yield through the same slices.
		const slicer = new WorkSlicer();
		const rateLimited = settings.requestsPerMinute > 0 || settings.tokensPerMinute > 0;
		const deps = {
			client,
			cache,
			coalesce: <T>(key: string, work: () => Promise<T>) => store.caches.coalesce(key, work),
			nearDuplicates: settings.engine.nearDuplicateThreshold !== undefined ? store.caches.nearDuplicates(namespace) : undefined,
			rateLimiter: rateLimited
				? store.limiters.open(endpoint.fingerprint, { requestsPerMinute: settings.requestsPerMinute, tokensPerMinute: settings.tokensPerMinute })
				: undefined,
			sleep: sleepWithSignal,
			clock: systemClock,
			now: () => performance.now(),
			signal,
			slicer,
		};

		const parameters = new ItemParameters(this);
		const limit = pLimit(settings.maxConcurrency * ITEM_LOOKAHEAD_PER_SLOT);
		const results = await Promise.all(
			items.map((_item, itemIndex) =>
				limit(() => slicer.run(async (): Promise<{ item: INodeExecutionData } | { error: unknown }> => {
					const started = performance.now();
					try {
						const request = readItemRequest(this, parameters, itemIndex);
						const outcome = await runAiCall(request, { ...settings.engine, price: settings.priceFor(request.model) }, deps);
						store.metrics.record({
							nodeType: node.type,
							nodeName: node.name,
							operation: UNIT_OPERATIONS.aiCall,
							durationMs: outcome.latencyMs,
							cache: outcome.cache,
							tokensIn: outcome.attempts > 0 ? outcome.usage.input : 0,
							tokensOut: outcome.attempts > 0 ? outcome.usage.output : 0,
							tokensSaved: outcome.tokensSaved,
							costUsd: outcome.costUsd,
							costSavedUsd: outcome.savedUsd ?? 0,
							bytesRaw: outcome.bytesRaw,
							bytesCompressed: outcome.bytesCompressed,
							retries: Math.max(0, outcome.attempts - 1),
						});
						return { item: outputItem(outcome, request.model, endpoint.provider, itemIndex, settings.includeRaw) };
					} catch (error) {
						const attempts = attemptsOf(error) ?? 1;
						store.metrics.record({
							nodeType: node.type,
							nodeName: node.name,
							operation: UNIT_OPERATIONS.aiCall,
							durationMs: performance.now() - started,
							outcome: errorClassOf(error),
							cache: cacheOutcomeOfFailure(error),
							retries: Math.max(0, attempts - 1),
						});
						return { error };
					}
				})),
			),
		);

		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < results.length; itemIndex++) {
			const result = results[itemIndex];
			if ('item' in result) {
				output.push(result.item);
				continue;
			}
			const nodeError = toNodeError(node, result.error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			output.push(errorItem(node, nodeError, itemIndex, errorClassOf(result.error)));
		}
		return [output];
	});
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

function roundUsd(value: number | null): number | null {
	return value === null ? null : Math.round(value * 1e8) / 1e8;
}
