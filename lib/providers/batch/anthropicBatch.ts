import { isPlainObject } from '../../shared/json';
import { buildAnthropicRequest, parseAnthropicResponse } from '../anthropic';
import { endpointUrl, type ProviderEndpoint } from '../endpoint';
import type { ProviderError } from '../providerError';
import { requestProvider, type SendOptions } from '../transport';
import { BatchRequestError, cancelledRequest, expiredRequest } from './batchRequestError';
import { jsonLines, malformed } from './jsonLines';
import type { BatchClient, BatchLimits, BatchLineResult, BatchPhase, BatchStatus } from './types';

/** Anthropic's Message Batches limits: 100,000 requests or 256 MB per batch, whichever comes first. */
export const ANTHROPIC_BATCH_LIMITS: BatchLimits = { maxRequests: 100_000, maxBytes: 256 * 1024 * 1024 };

const PHASES: Record<string, BatchPhase> = { in_progress: 'inProgress', canceling: 'cancelling', ended: 'ended' };

/** The JSON that wraps the encoded lines of one batch: `{"requests":[line,line,...]}`. */
/**
 * Anthropic Message Batches: the requests go in one body, each `{custom_id, params}` with the very params a
 * message request would post; results are a JSONL stream. Results are read from the batch's own path on the
 * endpoint, never from a URL in the answer, so the API key only ever goes to the credential's base URL.
 */
export function anthropicBatchClient(endpoint: ProviderEndpoint, options: SendOptions, limits: BatchLimits): BatchClient {
	const call = (url: string, init: Parameters<typeof requestProvider>[3], signal?: AbortSignal) =>
		requestProvider(url, endpoint, { ...options, signal: signal ?? options.signal }, init);
	const batchUrl = (id: string, action = '') => `${endpointUrl(endpoint, 'batches')}/${encodeURIComponent(id)}${action}`;
	return {
		limits,
		encodeLine: (line) => JSON.stringify({ custom_id: line.customId, params: buildAnthropicRequest(line.request, endpoint).body }),
		submit: async (encodedLines, signal) =>
			batchStatus(await call(endpointUrl(endpoint, 'batches'), { method: 'POST', body: `{"requests":[${encodedLines.join(',')}]}` }, signal)),
		status: async (batchId, signal) => batchStatus(await call(batchUrl(batchId), { method: 'GET' }, signal)),
		cancel: async (batchId, signal) => batchStatus(await call(batchUrl(batchId, '/cancel'), { method: 'POST' }, signal)),
		async results(status, signal) {
			const results: BatchLineResult[] = [];
			for (const batchId of status.resultSources) {
				const text = (await call(batchUrl(batchId, '/results'), { method: 'GET', read: 'text' }, signal)) as string;
				for (const line of jsonLines(text)) results.push(lineResult(status.id, line));
			}
			return results;
		},
	};
}

function batchStatus(body: unknown): BatchStatus {
	if (!isPlainObject(body) || typeof body.id !== 'string' || typeof body.processing_status !== 'string') {
		throw malformed('the message batch has no id or processing status');
	}
	const phase = PHASES[body.processing_status] ?? 'inProgress';
	const counts = isPlainObject(body.request_counts) ? body.request_counts : {};
	// "ended" covers every ending; name the one that left requests unanswered, for messages.
	const providerStatus =
		phase !== 'ended' ? body.processing_status : Number(counts.expired) > 0 ? 'expired' : Number(counts.canceled) > 0 ? 'canceled' : 'ended';
	return { id: body.id, phase, providerStatus, resultSources: phase === 'ended' ? [body.id] : [] };
}

/** One results line: `{custom_id, result: {type: succeeded | errored | canceled | expired, ...}}`. */
function lineResult(batchId: string, line: Record<string, unknown>): BatchLineResult {
	const customId = String(line.custom_id ?? '');
	const result = isPlainObject(line.result) ? line.result : {};
	switch (result.type) {
		case 'succeeded':
			try {
				return { customId, result: parseAnthropicResponse(result.message) };
			} catch (error) {
				return { customId, error: error as ProviderError };
			}
		case 'expired':
			return { customId, error: expiredRequest(batchId, 'expired') };
		case 'canceled':
			return { customId, error: cancelledRequest(batchId, 'canceled') };
		default: {
			// errored: {error: {type: 'error', error: {type, message}}}
			const outer = isPlainObject(result.error) ? result.error : {};
			const inner = isPlainObject(outer.error) ? outer.error : outer;
			const code = typeof inner.type === 'string' ? inner.type : 'errored';
			const status = ANTHROPIC_ERROR_STATUS[code];
			return {
				customId,
				error: new BatchRequestError({ batchId, code, status, providerMessage: typeof inner.message === 'string' ? inner.message : 'the request failed' }),
			};
		}
	}
}

/** Anthropic's error types by the HTTP status they stand for, so a failed line is classed as the same failure sent alone. */
const ANTHROPIC_ERROR_STATUS: Record<string, number> = {
	invalid_request_error: 400,
	authentication_error: 401,
	permission_error: 403,
	not_found_error: 404,
	request_too_large: 413,
	rate_limit_error: 429,
	api_error: 500,
	overloaded_error: 529,
};
