import pLimit from 'p-limit';
import { eitherSignal } from '../shared/abortSignals';
import type { ProviderEndpoint } from './endpoint';
import { sendChat, streamChat, type FetchLike } from './transport';
import type { ChatChunk, ChatRequest, ChatResult } from './types';

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
 * Chat completions against one resolved endpoint, as every AI node sends them. One method per way of answering,
 * both on the same endpoint, timeout, cancel signal and parallel-request bound: `send` waits for the whole
 * answer, `stream` hands it over piece by piece.
 */
export interface ChatClient {
	readonly endpoint: ProviderEndpoint;
	/** One chat completion; `signal` aborts this request only. Fails with a ProviderError that carries no secret. */
	send(request: ChatRequest, signal?: AbortSignal): Promise<ChatResult>;
	/**
	 * The same completion streamed: text and tool-call pieces as they arrive, then one `finish` chunk (fold them with
	 * `StreamedAnswer`). Fails with the same ProviderErrors as `send`, and also when the stream is cut off; a
	 * stream holds its parallel-request slot until it ends or the caller stops reading.
	 */
	stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ChatChunk>;
}

export function createChatClient(endpoint: ProviderEndpoint, options: ChatClientOptions): ChatClient {
	const slots = options.maxConcurrent === undefined ? undefined : pLimit(options.maxConcurrent);
	const sendOptions = (signal: AbortSignal | undefined) => ({
		timeoutMs: options.timeoutMs,
		signal: eitherSignal(options.signal, signal),
		fetch: options.fetch,
		now: options.now,
	});
	const sendOne = (request: ChatRequest, signal: AbortSignal | undefined) => sendChat(request, endpoint, sendOptions(signal));
	return {
		endpoint,
		send: (request, signal) => (slots ? slots(() => sendOne(request, signal)) : sendOne(request, signal)),
		stream: (request, signal) => {
			const chunks = () => streamChat(request, endpoint, sendOptions(signal));
			return slots ? inSlot(slots, chunks) : chunks();
		},
	};
}

/** Streams while holding one slot of `slots`: taken when reading starts, given back when the stream ends or is left. */
async function* inSlot(slots: pLimit.Limit, chunks: () => AsyncIterable<ChatChunk>): AsyncGenerator<ChatChunk> {
	let release!: () => void;
	const released = new Promise<void>((resolve) => (release = resolve));
	await new Promise<void>((acquired) => {
		void slots(() => {
			acquired();
			return released;
		});
	});
	try {
		yield* chunks();
	} finally {
		release();
	}
}
