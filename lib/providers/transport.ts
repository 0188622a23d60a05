import { parseRetryAfterMs } from '../resilience';
import { redactSecrets } from '../shared/redact';
import { buildAnthropicRequest, parseAnthropicError, parseAnthropicResponse } from './anthropic';
import type { ProviderEndpoint } from './endpoint';
import { buildOpenAiRequest, parseOpenAiError, parseOpenAiResponse } from './openAiCompatible';
import { ProviderError } from './providerError';
import type { ChatRequest, ChatResult, HttpRequest } from './types';

/** Sends one HTTP request; injectable so engines can be tested without a network. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{
	status: number;
	headers: { get(name: string): string | null };
	text(): Promise<string>;
}>;

export interface SendOptions {
	/** Per-request timeout in ms; 0 = none. */
	timeoutMs: number;
	/** Aborts the request, e.g. when the n8n execution is cancelled. */
	signal?: AbortSignal;
	fetch?: FetchLike;
	now?: () => number;
}

const ADAPTERS = {
	openAiCompatible: { build: buildOpenAiRequest, parse: parseOpenAiResponse, parseError: parseOpenAiError },
	anthropic: { build: buildAnthropicRequest, parse: parseAnthropicResponse, parseError: parseAnthropicError },
} as const;

export function buildHttpRequest(request: ChatRequest, endpoint: ProviderEndpoint): HttpRequest {
	return ADAPTERS[endpoint.provider].build(request, endpoint);
}

/**
 * One chat completion over HTTP (Node's fetch, which keeps connections alive per origin). Every failure becomes a
 * {@link ProviderError} whose message carries no secret.
 */
export async function sendChat(request: ChatRequest, endpoint: ProviderEndpoint, options: SendOptions): Promise<ChatResult> {
	const adapter = ADAPTERS[endpoint.provider];
	const http = adapter.build(request, endpoint);
	const secrets = endpoint.secrets;
	const signals: AbortSignal[] = [];
	if (options.signal) signals.push(options.signal);
	const timeoutSignal = options.timeoutMs > 0 ? AbortSignal.timeout(options.timeoutMs) : undefined;
	if (timeoutSignal) signals.push(timeoutSignal);
	const signal = signals.length === 1 ? signals[0] : AbortSignal.any(signals);
	const doFetch = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
	let status: number;
	let bodyText: string;
	let retryAfterMs: number | undefined;
	try {
		const response = await doFetch(http.url, { method: 'POST', headers: http.headers, body: JSON.stringify(http.body), signal });
		status = response.status;
		retryAfterMs = parseRetryAfterMs(response.headers, (options.now ?? Date.now)());
		bodyText = await response.text();
	} catch (error) {
		const cancelled = options.signal?.aborted === true;
		const timeout = !cancelled && (timeoutSignal?.aborted === true || (error as Error)?.name === 'TimeoutError');
		const cause = (error as Error & { cause?: { code?: string } })?.cause?.code;
		throw new ProviderError({
			providerMessage: cancelled
				? 'the execution was cancelled'
				: timeout
					? `no answer within ${options.timeoutMs} ms`
					: redactSecrets(`${(error as Error)?.message ?? error}${cause ? ` (${cause})` : ''}`, secrets),
			networkError: !cancelled && !timeout,
			timeout,
			cancelled,
		});
	}
	if (status < 200 || status >= 300) {
		const parsed = adapter.parseError(bodyText);
		throw new ProviderError({ status, code: parsed.code, providerMessage: redactSecrets(parsed.message, secrets), retryAfterMs });
	}
	let body: unknown;
	try {
		body = JSON.parse(bodyText);
	} catch {
		throw new ProviderError({ status, code: 'malformed_response', providerMessage: 'the response body is not JSON' });
	}
	return adapter.parse(body);
}
