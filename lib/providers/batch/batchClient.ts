import type { ProviderEndpoint } from '../endpoint';
import type { FetchLike } from '../transport';
import { ANTHROPIC_BATCH_LIMITS, anthropicBatchClient } from './anthropicBatch';
import { OPENAI_BATCH_LIMITS, openAiBatchClient } from './openAiBatch';
import type { BatchClient, BatchLimits } from './types';

export interface BatchClientOptions {
	/** Per-request timeout in ms (an upload of a large batch included); 0 = none. */
	timeoutMs: number;
	/** Aborts every request of this client. */
	signal?: AbortSignal;
	/** Smaller limits than the provider's, e.g. to keep batches short; never larger. */
	limits?: Partial<BatchLimits>;
	fetch?: FetchLike;
	now?: () => number;
}

/** The provider's own batch limits, documented in README ("Provider Batch"). */
export function providerBatchLimits(endpoint: ProviderEndpoint): BatchLimits {
	return endpoint.provider === 'anthropic' ? ANTHROPIC_BATCH_LIMITS : OPENAI_BATCH_LIMITS;
}

/** The batch API of the endpoint's provider: OpenAI's Batch API or Anthropic's Message Batches. */
export function createBatchClient(endpoint: ProviderEndpoint, options: BatchClientOptions): BatchClient {
	const provider = providerBatchLimits(endpoint);
	const limits: BatchLimits = {
		maxRequests: Math.min(provider.maxRequests, options.limits?.maxRequests ?? Infinity),
		maxBytes: Math.min(provider.maxBytes, options.limits?.maxBytes ?? Infinity),
	};
	const sendOptions = { timeoutMs: options.timeoutMs, signal: options.signal, fetch: options.fetch, now: options.now };
	return endpoint.provider === 'anthropic' ? anthropicBatchClient(endpoint, sendOptions, limits) : openAiBatchClient(endpoint, sendOptions, limits);
}
