import { randomUUID } from 'node:crypto';
import { isPlainObject } from '../../shared/json';
import { endpointUrl, type ProviderEndpoint } from '../endpoint';
import { buildOpenAiRequest, parseOpenAiError, parseOpenAiResponse } from '../openAiCompatible';
import { ProviderError } from '../providerError';
import { requestProvider, type SendOptions } from '../transport';
import { BatchRequestError, cancelledRequest, expiredRequest } from './batchRequestError';
import { jsonLines, malformed } from './jsonLines';
import type { BatchClient, BatchLimits, BatchLineResult, BatchPhase, BatchStatus } from './types';

/** OpenAI's Batch API limits: 50,000 requests and a 200 MB input file per batch. */
export const OPENAI_BATCH_LIMITS: BatchLimits = { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 };

/** The path every line names: OpenAI's Batch API takes it as written here, whatever the base URL. */
const CHAT_PATH = '/v1/chat/completions';

const PHASES: Record<string, BatchPhase> = {
	validating: 'inProgress',
	in_progress: 'inProgress',
	finalizing: 'inProgress',
	cancelling: 'cancelling',
	completed: 'ended',
	expired: 'ended',
	cancelled: 'ended',
	failed: 'failed',
};

/**
 * OpenAI-compatible batches: the lines go up as a JSONL file (Files API, purpose `batch`), a batch is created on
 * that file with the 24 h completion window, and its output and error files hold the answers.
 */
export function openAiBatchClient(endpoint: ProviderEndpoint, options: SendOptions, limits: BatchLimits): BatchClient {
	const call = (url: string, init: Parameters<typeof requestProvider>[3], signal?: AbortSignal) =>
		requestProvider(url, endpoint, { ...options, signal: signal ?? options.signal }, init);
	const batchUrl = (id: string, action = '') => `${endpointUrl(endpoint, 'batches')}/${encodeURIComponent(id)}${action}`;
	return {
		limits,
		encodeLine: (line) =>
			JSON.stringify({ custom_id: line.customId, method: 'POST', url: CHAT_PATH, body: buildOpenAiRequest(line.request, endpoint).body }),
		async submit(encodedLines, signal) {
			const boundary = `perf-optimizer-${randomUUID()}`;
			const file = await call(
				endpointUrl(endpoint, 'files'),
				{ method: 'POST', body: multipartFile(boundary, `${encodedLines.join('\n')}\n`), contentType: `multipart/form-data; boundary=${boundary}` },
				signal,
			);
			if (!isPlainObject(file) || typeof file.id !== 'string') throw malformed('the file upload answered without a file id');
			const body = JSON.stringify({ input_file_id: file.id, endpoint: CHAT_PATH, completion_window: '24h' });
			return batchStatus(await call(endpointUrl(endpoint, 'batches'), { method: 'POST', body }, signal));
		},
		status: async (batchId, signal) => batchStatus(await call(batchUrl(batchId), { method: 'GET' }, signal)),
		cancel: async (batchId, signal) => batchStatus(await call(batchUrl(batchId, '/cancel'), { method: 'POST' }, signal)),
		async results(status, signal) {
			const results: BatchLineResult[] = [];
			for (const fileId of status.resultSources) {
				const text = (await call(`${endpointUrl(endpoint, 'files')}/${encodeURIComponent(fileId)}/content`, { method: 'GET', read: 'text' }, signal)) as string;
				for (const line of jsonLines(text)) results.push(lineResult(status.id, line));
			}
			return results;
		},
	};
}

/** A multipart/form-data body with `purpose=batch` and the JSONL as `file`, as the Files API takes an upload. */
function multipartFile(boundary: string, content: string): string {
	return [
		`--${boundary}`,
		'Content-Disposition: form-data; name="purpose"',
		'',
		'batch',
		`--${boundary}`,
		'Content-Disposition: form-data; name="file"; filename="batch.jsonl"',
		'Content-Type: application/jsonl',
		'',
		content,
		`--${boundary}--`,
		'',
	].join('\r\n');
}

function batchStatus(body: unknown): BatchStatus {
	if (!isPlainObject(body) || typeof body.id !== 'string' || typeof body.status !== 'string') throw malformed('the batch has no id or status');
	const phase = PHASES[body.status] ?? 'inProgress';
	const sources = [body.output_file_id, body.error_file_id].filter((id): id is string => typeof id === 'string' && id !== '');
	const errors = isPlainObject(body.errors) && Array.isArray(body.errors.data) ? body.errors.data.filter(isPlainObject) : [];
	const reason = errors.map((error) => String(error.message ?? error.code ?? '')).filter((text) => text !== '').join('; ');
	return { id: body.id, phase, providerStatus: body.status, resultSources: sources, ...(phase === 'failed' ? { reason: reason || 'no reason given' } : {}) };
}

/** One line of an output or error file: `{custom_id, response: {status_code, body}, error}`. */
function lineResult(batchId: string, line: Record<string, unknown>): BatchLineResult {
	const customId = String(line.custom_id ?? '');
	const response = isPlainObject(line.response) ? line.response : undefined;
	const statusCode = typeof response?.status_code === 'number' ? response.status_code : undefined;
	if (response && statusCode !== undefined && statusCode >= 200 && statusCode < 300) {
		try {
			return { customId, result: parseOpenAiResponse(response.body) };
		} catch (error) {
			return { customId, error: error as ProviderError };
		}
	}
	const error = isPlainObject(line.error) ? line.error : undefined;
	const code = typeof error?.code === 'string' ? error.code : undefined;
	if (code === 'batch_expired') return { customId, error: expiredRequest(batchId, code) };
	if (code === 'batch_cancelled') return { customId, error: cancelledRequest(batchId, code) };
	if (statusCode !== undefined) {
		const parsed = parseOpenAiError(JSON.stringify(response?.body ?? {}));
		return { customId, error: new BatchRequestError({ batchId, status: statusCode, code: parsed.code ?? `http_${statusCode}`, providerMessage: parsed.message }) };
	}
	return { customId, error: new BatchRequestError({ batchId, code: code ?? 'unknown', providerMessage: String(error?.message ?? 'no answer and no reason') }) };
}
