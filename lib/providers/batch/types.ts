import type { ChatRequest, ChatResult } from '../types';
import type { BatchRequestError } from './batchRequestError';
import type { ProviderError } from '../providerError';

/** One request of a batch: `customId` finds its answer among the results (1-64 of `[A-Za-z0-9_-]`, as Anthropic requires). */
export interface BatchLine {
	customId: string;
	request: ChatRequest;
}

/** What one provider accepts in one batch. */
export interface BatchLimits {
	/** Requests per batch. */
	maxRequests: number;
	/** Bytes of the encoded requests per batch (OpenAI: the JSONL input file; Anthropic: the request body). */
	maxBytes: number;
}

/**
 * Where a batch stands, provider-neutral:
 * - `inProgress`: accepted and not finished (OpenAI validating, in_progress, finalizing; Anthropic in_progress);
 * - `cancelling`: a cancel was asked for and the provider is winding down;
 * - `ended`: results can be read; some requests may have none (the batch expired or was cancelled first);
 * - `failed`: the provider refused the batch as a whole (OpenAI: its input file did not validate); `reason` says why.
 */
export type BatchPhase = 'inProgress' | 'cancelling' | 'ended' | 'failed';

export interface BatchStatus {
	id: string;
	phase: BatchPhase;
	/** The provider's own word for the state (`completed`, `expired`, `cancelled`, `ended`, ...), for messages. */
	providerStatus: string;
	/** Why a `failed` batch failed, in the provider's words. */
	reason?: string;
	/** Where the results are (OpenAI: output and error file ids; Anthropic: the results URL); read by `results`. */
	resultSources: string[];
}

/** The answer to one line, or why there is none. */
export type BatchLineResult = { customId: string; result: ChatResult } | { customId: string; error: BatchRequestError | ProviderError };

/**
 * A provider's batch API on one endpoint. Lines are encoded once (`encodeLine`), so a batch can be split by its
 * encoded size, and sent as encoded.
 */
export interface BatchClient {
	readonly limits: BatchLimits;
	/** One line as it goes into the batch: the very body `ChatClient.send` would post for the request. */
	encodeLine(line: BatchLine): string;
	submit(encodedLines: readonly string[], signal?: AbortSignal): Promise<BatchStatus>;
	status(batchId: string, signal?: AbortSignal): Promise<BatchStatus>;
	/** The results of an `ended` batch, by custom id; lines the provider did not answer are absent. */
	results(status: BatchStatus, signal?: AbortSignal): Promise<BatchLineResult[]>;
	cancel(batchId: string, signal?: AbortSignal): Promise<BatchStatus>;
}
