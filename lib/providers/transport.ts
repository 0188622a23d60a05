import { parseRetryAfterMs } from '../resilience';
import { redactSecrets } from '../shared/redact';
import { anthropicStreamDecoder, buildAnthropicRequest, parseAnthropicError, parseAnthropicResponse } from './anthropic';
import type { ProviderEndpoint } from './endpoint';
import { buildOpenAiRequest, openAiStreamDecoder, parseOpenAiError, parseOpenAiResponse } from './openAiCompatible';
import { ProviderError } from './providerError';
import { sseEvents } from './sseEvents';
import type { ChatChunk, ChatRequest, ChatResult, HttpRequest } from './types';

/** Sends one HTTP request; injectable so engines can be tested without a network. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }) => Promise<{
	status: number;
	headers: { get(name: string): string | null };
	text(): Promise<string>;
	/** The body as it arrives, for streamed answers; without it the whole text is read at once. */
	body?: AsyncIterable<Uint8Array> | null;
}>;

export interface SendOptions {
	/** Per-request timeout in ms, streamed answers included (the whole stream); 0 = none. */
	timeoutMs: number;
	/** Aborts the request, e.g. when the n8n execution is cancelled. */
	signal?: AbortSignal;
	fetch?: FetchLike;
	now?: () => number;
}

const ADAPTERS = {
	openAiCompatible: { build: buildOpenAiRequest, parse: parseOpenAiResponse, parseError: parseOpenAiError, streamDecoder: openAiStreamDecoder },
	anthropic: { build: buildAnthropicRequest, parse: parseAnthropicResponse, parseError: parseAnthropicError, streamDecoder: anthropicStreamDecoder },
} as const;

export function buildHttpRequest(request: ChatRequest, endpoint: ProviderEndpoint, stream = false): HttpRequest {
	return ADAPTERS[endpoint.provider].build(request, endpoint, stream);
}

/**
 * One chat completion over HTTP (Node's fetch, which keeps connections alive per origin). Every failure becomes a
 * {@link ProviderError} whose message carries no secret.
 */
export async function sendChat(request: ChatRequest, endpoint: ProviderEndpoint, options: SendOptions): Promise<ChatResult> {
	const adapter = ADAPTERS[endpoint.provider];
	const call = new ProviderCall(endpoint, options);
	const http = adapter.build(request, endpoint);
	return adapter.parse(await call.readJson(await call.open(http.url, { method: 'POST', headers: http.headers, body: JSON.stringify(http.body) })));
}

/**
 * GET on the provider with the endpoint's auth headers, the answer parsed as JSON; failures are the same
 * {@link ProviderError}s a chat call gives.
 */
export async function getProviderJson(url: string, endpoint: ProviderEndpoint, options: SendOptions): Promise<unknown> {
	return await requestProvider(url, endpoint, options, { method: 'GET' });
}

/** A request other than a chat completion (batches, files): what goes out, and how the answer is read. */
export interface ProviderRequestInit {
	method: 'GET' | 'POST';
	body?: string;
	/** @default 'application/json' when there is a body */
	contentType?: string;
	/** `text` returns the body as it came (JSONL result files). @default 'json' */
	read?: 'json' | 'text';
}

/**
 * Any request to the provider with the endpoint's auth headers; failures are the same {@link ProviderError}s a
 * chat call gives, secrets removed.
 */
export async function requestProvider(url: string, endpoint: ProviderEndpoint, options: SendOptions, init: ProviderRequestInit): Promise<unknown> {
	const call = new ProviderCall(endpoint, options);
	const headers: Record<string, string> = { accept: init.read === 'text' ? '*/*' : 'application/json', ...endpoint.authHeaders };
	if (init.body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
	const response = await call.open(url, { method: init.method, headers, body: init.body });
	return init.read === 'text' ? await call.readText(response) : await call.readJson(response);
}

/**
 * One streamed chat completion: neutral chunks as the provider's server-sent events arrive, ending with one
 * `finish` chunk. A refusal before the stream starts (429, 5xx, ...) is the same ProviderError `sendChat` gives,
 * Retry-After included; a stream that ends before the provider's end marker is a ProviderError too, never a short
 * answer. Stopping the iteration early aborts the request.
 */
export async function* streamChat(request: ChatRequest, endpoint: ProviderEndpoint, options: SendOptions): AsyncGenerator<ChatChunk> {
	const adapter = ADAPTERS[endpoint.provider];
	const stopped = new AbortController();
	const call = new ProviderCall(endpoint, options, stopped.signal);
	try {
		const http = adapter.build(request, endpoint, true);
		const response = await call.open(http.url, { method: 'POST', headers: http.headers, body: JSON.stringify(http.body) });
		const decoder = adapter.streamDecoder((text) => redactSecrets(text, endpoint.secrets));
		const body = response.body ?? textAsBody(response);
		try {
			for await (const event of sseEvents(body)) {
				yield* decoder.read(event.data);
				if (decoder.complete) return;
			}
		} catch (error) {
			throw error instanceof ProviderError ? error : call.failure(error);
		}
		throw new ProviderError({ code: 'incomplete_stream', providerMessage: 'the answer stream ended before the provider finished it', networkError: true });
	} finally {
		stopped.abort();
	}
}

async function* textAsBody(response: { text(): Promise<string> }): AsyncGenerator<Uint8Array> {
	yield new TextEncoder().encode(await response.text());
}

type FetchResponse = Awaited<ReturnType<FetchLike>>;

/** What every provider request shares: one fetch with the joined signals, and how its failures are told apart. */
class ProviderCall {
	private readonly signal: AbortSignal;
	private readonly timeoutSignal: AbortSignal | undefined;

	constructor(
		private readonly endpoint: ProviderEndpoint,
		private readonly options: SendOptions,
		internal?: AbortSignal,
	) {
		const signals: AbortSignal[] = [];
		if (options.signal) signals.push(options.signal);
		if (internal) signals.push(internal);
		this.timeoutSignal = options.timeoutMs > 0 ? AbortSignal.timeout(options.timeoutMs) : undefined;
		if (this.timeoutSignal) signals.push(this.timeoutSignal);
		this.signal = signals.length === 1 ? signals[0] : AbortSignal.any(signals);
	}

	/** Sends the request; a non-2xx answer is read whole and thrown as a ProviderError. */
	async open(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<FetchResponse> {
		const doFetch = this.options.fetch ?? (globalThis.fetch as unknown as FetchLike);
		let response: FetchResponse;
		try {
			response = await doFetch(url, { ...init, signal: this.signal });
		} catch (error) {
			throw this.failure(error);
		}
		if (response.status >= 200 && response.status < 300) return response;
		const retryAfterMs = parseRetryAfterMs(response.headers, (this.options.now ?? Date.now)());
		let bodyText: string;
		try {
			bodyText = await response.text();
		} catch (error) {
			throw this.failure(error);
		}
		const parsed = ADAPTERS[this.endpoint.provider].parseError(bodyText);
		throw new ProviderError({
			status: response.status,
			code: parsed.code,
			providerMessage: redactSecrets(parsed.message, this.endpoint.secrets),
			retryAfterMs,
		});
	}

	/** Reads a whole answer as text. */
	async readText(response: FetchResponse): Promise<string> {
		try {
			return await response.text();
		} catch (error) {
			throw this.failure(error);
		}
	}

	/** Reads a whole answer as JSON; a body that is not JSON is a `malformed_response`. */
	async readJson(response: FetchResponse): Promise<unknown> {
		const bodyText = await this.readText(response);
		try {
			return JSON.parse(bodyText) as unknown;
		} catch {
			throw new ProviderError({ status: response.status, code: 'malformed_response', providerMessage: 'the response body is not JSON' });
		}
	}

	/** A failure with no HTTP status: cancelled, timed out, or the network. */
	failure(error: unknown): ProviderError {
		const cancelled = this.options.signal?.aborted === true;
		const timeout = !cancelled && (this.timeoutSignal?.aborted === true || (error as Error)?.name === 'TimeoutError');
		const cause = (error as Error & { cause?: { code?: string } })?.cause?.code;
		return new ProviderError({
			providerMessage: cancelled
				? 'the execution was cancelled'
				: timeout
					? `no answer within ${this.options.timeoutMs} ms`
					: redactSecrets(`${(error as Error)?.message ?? error}${cause ? ` (${cause})` : ''}`, this.endpoint.secrets),
			networkError: !cancelled && !timeout,
			timeout,
			cancelled,
		});
	}
}
