import pLimit from 'p-limit';
import type { ProviderEndpoint } from './endpoint';
import { sendChat, type FetchLike } from './transport';
import type { ChatRequest, ChatResult } from './types';

export interface ChatClientOptions {
	/** Per-request timeout in ms; 0 = none. */
	timeoutMs: number;
	/** Aborts every request of this client, e.g. when the n8n execution is cancelled. */
	signal?: AbortSignal;
	/** Requests in flight at once; further ones wait for a slot. Undefined = no bound. */
	maxConcurrent?: number;
	fetch?: FetchLike;
	now?: () => number;
}

/**
 * Chat completions against one resolved endpoint, as every AI node sends them. One method per way of answering:
 * `send` waits for the whole answer; a streaming method belongs beside it, on the same endpoint and options.
 */
export interface ChatClient {
	readonly endpoint: ProviderEndpoint;
	/** One chat completion; `signal` aborts this request only. Fails with a ProviderError that carries no secret. */
	send(request: ChatRequest, signal?: AbortSignal): Promise<ChatResult>;
}

export function createChatClient(endpoint: ProviderEndpoint, options: ChatClientOptions): ChatClient {
	const slots = options.maxConcurrent === undefined ? undefined : pLimit(options.maxConcurrent);
	const sendOne = (request: ChatRequest, signal: AbortSignal | undefined) =>
		sendChat(request, endpoint, { timeoutMs: options.timeoutMs, signal: eitherSignal(options.signal, signal), fetch: options.fetch, now: options.now });
	return {
		endpoint,
		send: (request, signal) => (slots ? slots(() => sendOne(request, signal)) : sendOne(request, signal)),
	};
}

function eitherSignal(first: AbortSignal | undefined, second: AbortSignal | undefined): AbortSignal | undefined {
	if (!first || !second || first === second) return first ?? second;
	return AbortSignal.any([first, second]);
}
