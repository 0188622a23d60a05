import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { AiCallOutcome } from '../../../lib/aiCall';
import type { ProviderKind } from '../../../lib/providers';
import { roundUsd } from '../../shared/ai/roundUsd';

/** How an answer was delivered, when not immediately: through a provider batch (none when served from the cache). */
export interface DeliveryFacts {
	delivery: 'batch';
	batchId?: string;
}

/** One item's output, the same shape however it was answered. */
export function outputItem(
	outcome: AiCallOutcome,
	model: string,
	provider: ProviderKind,
	itemIndex: number,
	includeRaw: boolean,
	delivery?: DeliveryFacts,
): INodeExecutionData {
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
	if (delivery) {
		optimization.delivery = delivery.delivery;
		if (delivery.batchId !== undefined) optimization.batchId = delivery.batchId;
	}
	json.optimization = optimization;
	if (includeRaw && outcome.raw !== undefined) json.raw = outcome.raw as IDataObject;
	return { json, pairedItem: { item: itemIndex } };
}
