import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/**
 * A stand-in for the OpenAI and Anthropic HTTP APIs on 127.0.0.1, for tests, benchmarks and the end-to-end
 * demo. Replies are derived from the request (an echo of the last user message), so a test can tell which
 * prompt an answer belongs to and the same prompt always gets the same answer.
 *
 * Routes: POST /v1/chat/completions (OpenAI), POST /v1/messages (Anthropic), GET /v1/models (both),
 * GET /_stub/stats (counters for a stub running as a separate process; not recorded as a request).
 *
 * Markers in the last user message, honoured only when no scripted reply is queued:
 * `[[status:NNN]]` that status with a provider-shaped error (429 also sends `retry-after: 1`),
 * `[[malformed]]` 200 with a body cut off mid-JSON, `[[invalid-json]]` 200 whose content is prose, not JSON,
 * `[[hang]]` no reply until close(), `[[length]]` the reply cut in half with finish_reason 'length' /
 * stop_reason 'max_tokens'.
 *
 * JSON mode: OpenAI requests with response_format json_object (or json_schema), and Anthropic requests whose
 * system prompt mentions JSON, get `{"echo": <last user text>}` as their content.
 */

/** One request as the stub received it. */
export interface StubRequest {
	/** The URL path without the query string. */
	path: string;
	method: string;
	headers: Record<string, string | string[] | undefined>;
	/** The parsed JSON body; the raw text when it is not JSON; undefined when empty. */
	body: any;
	/** Date.now() when the request arrived. */
	receivedAt: number;
}

/**
 * A scripted reply for the next completion request. Without `body` and `rawBody` the stub writes what it
 * would have written for that status: the echo reply for 2xx, a provider-shaped error otherwise.
 */
export interface StubReply {
	status: number;
	/** Sent as given (content-type defaults to application/json). */
	headers?: Record<string, string>;
	/** Sent as JSON. */
	body?: unknown;
	/** Sent byte for byte, for bodies that are not valid JSON. */
	rawBody?: string;
	/** Never reply; the socket is destroyed by close(). */
	hang?: boolean;
	/** Replaces the stub's latency for this reply. */
	delayMs?: number;
}

export interface LlmStubOptions {
	/** @default 0 (a free port) */
	port?: number;
	/** Delay before each completion reply. @default 0 */
	latencyMs?: number;
	/**
	 * Required as `Authorization: Bearer <key>` (OpenAI routes) or `x-api-key: <key>` (Anthropic routes); a list
	 * accepts several accounts. @default 'test-key'
	 */
	apiKey?: string | string[];
	/**
	 * Reported as usage.prompt_tokens_details.cached_tokens (OpenAI) and as cache_read_input_tokens (Anthropic
	 * requests without cache_control). @default 0
	 */
	cachedTokens?: number;
}

export interface LlmStub {
	/** http://127.0.0.1:PORT */
	readonly url: string;
	/** `${url}/v1` */
	readonly openAiBaseUrl: string;
	/** `${url}`: Anthropic's client appends /v1/messages itself. */
	readonly anthropicBaseUrl: string;
	/** Every request received, in order, failed ones included. reset() empties this same array. */
	readonly requests: StubRequest[];
	/** Completion requests (POST chat/completions and messages) received, whatever their outcome. */
	upstreamCalls(): number;
	/** Replies consumed in order by the next completion requests that pass auth and validation. */
	enqueue(...replies: StubReply[]): void;
	setLatency(ms: number): void;
	/** Clears requests, counters, the queue and the Anthropic prompt-cache memory. */
	reset(): void;
	/** Closes the server and destroys open sockets, hanging requests included. */
	close(): Promise<void>;
}

export const DEFAULT_STUB_API_KEY = 'test-key';

/** What GET /v1/models lists: enough for credential tests of either provider. */
export const STUB_MODELS = ['gpt-4o-mini', 'gpt-4o', 'claude-3-5-haiku-latest', 'claude-sonnet-4-0'];

export function openAiErrorBody(message: string, type: string, code: string | null = null) {
	return { error: { message, type, param: null, code } };
}

export function anthropicErrorBody(type: string, message: string) {
	return { type: 'error', error: { type, message } };
}

export async function startLlmStub(options: LlmStubOptions = {}): Promise<LlmStub> {
	const stub = new StubServer(options);
	await stub.listen(options.port ?? 0);
	return stub;
}

// ---------------------------------------------------------------------------------------------------------
// Reading requests

type Provider = 'openai' | 'anthropic';
type Route = 'openaiCompletion' | 'anthropicCompletion' | 'models' | 'stats' | 'unknown';

function routeOf(method: string, path: string): Route {
	// Tolerate `base/` + `/chat/completions` joins and trailing slashes from hand-configured base URLs.
	const normalized = path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
	if (method === 'POST' && normalized === '/v1/chat/completions') return 'openaiCompletion';
	if (method === 'POST' && normalized === '/v1/messages') return 'anthropicCompletion';
	if (method === 'GET' && normalized === '/v1/models') return 'models';
	if (method === 'GET' && normalized === '/_stub/stats') return 'stats';
	return 'unknown';
}

/** For routes both providers share: Anthropic's clients always send one of these headers, OpenAI's neither. */
function providerOfHeaders(headers: IncomingHttpHeaders): Provider {
	return headers['x-api-key'] !== undefined || headers['anthropic-version'] !== undefined ? 'anthropic' : 'openai';
}

function decompress(raw: Buffer, encoding: string | undefined): Buffer {
	switch ((encoding ?? '').trim().toLowerCase()) {
		case '':
		case 'identity':
			return raw;
		case 'gzip':
		case 'x-gzip':
			return gunzipSync(raw);
		case 'deflate':
			return inflateSync(raw);
		case 'br':
			return brotliDecompressSync(raw);
		default:
			throw new Error(`unsupported content-encoding: ${encoding}`);
	}
}

interface DecodedBody {
	body: any;
	/** Why the body could not be used, if it could not. */
	problem?: string;
}

function decodeBody(raw: Buffer, encoding: string | undefined): DecodedBody {
	let text: string;
	try {
		text = decompress(raw, encoding).toString('utf8');
	} catch (error) {
		return { body: undefined, problem: `could not decode the request body: ${error.message}` };
	}
	if (text.length === 0) return { body: undefined };
	try {
		return { body: JSON.parse(text) };
	} catch {
		return { body: text, problem: 'could not parse the JSON body of the request' };
	}
}

/** Text of a message's content: a string, or the joined texts of its `{type:'text', text}` parts. */
function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.filter((part) => part?.type === 'text' && typeof part.text === 'string')
		.map((part) => part.text as string)
		.join('\n');
}

function lastUserText(messages: any[]): string {
	for (let index = messages.length - 1; index >= 0; index--) {
		if (messages[index]?.role === 'user') return textOf(messages[index].content);
	}
	return '';
}

function allMessagesText(messages: any[]): string {
	return messages.map((message) => textOf(message?.content)).join('');
}

/** A deterministic stand-in for a tokenizer: one token per four characters. */
function approximateTokens(text: string): number {
	return Math.ceil(text.length / 4);
}

// ---------------------------------------------------------------------------------------------------------
// Markers and default replies

type Marker =
	| { kind: 'status'; status: number }
	| { kind: 'malformed' }
	| { kind: 'invalid-json' }
	| { kind: 'hang' }
	| { kind: 'length' };

function markerIn(text: string): Marker | undefined {
	const status = /\[\[status:(\d{3})\]\]/.exec(text);
	if (status) return { kind: 'status', status: Number(status[1]) };
	for (const kind of ['malformed', 'hang', 'invalid-json', 'length'] as const) {
		if (text.includes(`[[${kind}]]`)) return { kind };
	}
	return undefined;
}

/** A body cut off mid-JSON, as when a proxy drops the connection half-way. */
const MALFORMED_BODY = '{"id":"chatcmpl-stub","object":"chat.completion","choices":[{"index":0,"message":{"role":"assist';

function replyText(userText: string, jsonMode: boolean, marker: Marker | undefined): string {
	// Prose with no braces, so that no "extract the JSON from the answer" fallback can rescue it.
	if (marker?.kind === 'invalid-json') return `Here is what you asked for: echo: ${userText}`;
	const text = jsonMode ? JSON.stringify({ echo: userText }) : `echo: ${userText}`;
	return marker?.kind === 'length' ? text.slice(0, Math.ceil(text.length / 2)) : text;
}

const OPENAI_ERRORS: Record<number, [type: string, code: string | null, message: string]> = {
	400: ['invalid_request_error', null, 'Bad request'],
	401: ['invalid_request_error', 'invalid_api_key', 'Incorrect API key provided'],
	404: ['invalid_request_error', 'not_found', 'Not found'],
	429: ['requests', 'rate_limit_exceeded', 'Rate limit reached for requests'],
};

const ANTHROPIC_ERRORS: Record<number, string> = {
	400: 'invalid_request_error',
	401: 'authentication_error',
	403: 'permission_error',
	404: 'not_found_error',
	413: 'request_too_large',
	429: 'rate_limit_error',
	529: 'overloaded_error',
};

function errorBody(provider: Provider, status: number, message?: string): unknown {
	if (provider === 'anthropic') {
		const type = ANTHROPIC_ERRORS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
		return anthropicErrorBody(type, message ?? `Stub error ${status}`);
	}
	const [type, code, defaultMessage] =
		OPENAI_ERRORS[status] ?? (status >= 500 ? ['server_error', 'server_error', 'The server had an error'] : ['invalid_request_error', null, 'Error']);
	return openAiErrorBody(message ?? `${defaultMessage} (stub ${status})`, type, code);
}

function authProblem(provider: Provider, headers: IncomingHttpHeaders, apiKeys: readonly string[]): string | undefined {
	if (provider === 'anthropic') {
		const key = headers['x-api-key'];
		if (key === undefined) return 'x-api-key header is required';
		return typeof key === 'string' && apiKeys.includes(key) ? undefined : 'invalid x-api-key';
	}
	const authorization = headers.authorization;
	if (authorization === undefined) return "You didn't provide an API key (Authorization: Bearer <key>)";
	const match = /^Bearer\s+(.+)$/i.exec(authorization);
	return match && apiKeys.includes(match[1].trim()) ? undefined : 'Incorrect API key provided';
}

/** Checks what the real APIs reject too, so a client bug shows up as a 400 rather than as a plausible echo. */
function requestProblem(route: Route, body: any): string | undefined {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the request body must be a JSON object';
	if (typeof body.model !== 'string' || body.model.length === 0) return 'model: a model name is required';
	if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
	if (route === 'anthropicCompletion' && typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
	if (body.stream === true) return 'stream: the stub does not support streaming';
	return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The server

/** A reply decided, not yet written. */
interface Planned {
	status: number;
	headers: Record<string, string>;
	payload: string;
	hang: boolean;
	delayMs: number;
}

class StubServer implements LlmStub {
	readonly requests: StubRequest[] = [];
	private readonly server: Server;
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly queue: StubReply[] = [];
	/** System prompts already written to Anthropic's prompt cache (by a request with cache_control). */
	private readonly cachedSystemPrompts = new Set<string>();
	private readonly apiKeys: string[];
	private readonly cachedTokens: number;
	private latencyMs: number;
	private completionCount = 0;
	private replyCount = 0;
	private port = 0;
	private closing: Promise<void> | undefined;

	constructor(options: LlmStubOptions) {
		this.apiKeys = [options.apiKey ?? DEFAULT_STUB_API_KEY].flat();
		this.cachedTokens = options.cachedTokens ?? 0;
		this.latencyMs = options.latencyMs ?? 0;
		this.server = createServer((request, response) => {
			this.handle(request, response).catch((error) => this.write(response, this.errorReply('openai', 500, String(error?.message ?? error))));
		});
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get openAiBaseUrl(): string {
		return `${this.url}/v1`;
	}

	get anthropicBaseUrl(): string {
		return this.url;
	}

	async listen(port: number): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => {
				this.server.off('error', reject);
				resolve();
			});
		});
		const address = this.server.address();
		if (address === null || typeof address === 'string') throw new Error('The LLM stub is not listening on a TCP port');
		this.port = address.port;
	}

	upstreamCalls(): number {
		return this.completionCount;
	}

	enqueue(...replies: StubReply[]): void {
		this.queue.push(...replies);
	}

	setLatency(ms: number): void {
		this.latencyMs = ms;
	}

	reset(): void {
		this.requests.length = 0;
		this.queue.length = 0;
		this.cachedSystemPrompts.clear();
		this.completionCount = 0;
		this.replyCount = 0;
	}

	close(): Promise<void> {
		if (this.closing === undefined) {
			for (const timer of this.timers) clearTimeout(timer);
			this.timers.clear();
			this.closing = new Promise((resolve) => this.server.close(() => resolve()));
			// server.close() waits for open connections: keep-alive sockets and hanging requests would hold it open.
			for (const socket of this.sockets) socket.destroy();
		}
		return this.closing;
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const arrivedAt = performance.now();
		const receivedAt = Date.now();
		const method = request.method ?? 'GET';
		const path = new URL(request.url ?? '/', 'http://stub').pathname;
		const route = routeOf(method, path);

		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const decoded = decodeBody(Buffer.concat(chunks), request.headers['content-encoding'] as string | undefined);

		if (route === 'stats') {
			this.write(response, this.jsonReply(200, { upstreamCalls: this.completionCount, requests: this.requests.length }));
			return;
		}
		this.requests.push({ path, method, headers: { ...request.headers }, body: decoded.body, receivedAt });

		if (route === 'models') {
			const provider = providerOfHeaders(request.headers);
			const problem = authProblem(provider, request.headers, this.apiKeys);
			this.write(response, problem ? this.errorReply(provider, 401, problem) : this.jsonReply(200, this.models()));
			return;
		}
		if (route === 'unknown') {
			this.write(response, this.errorReply(providerOfHeaders(request.headers), 404, `Invalid URL (${method} ${path})`));
			return;
		}

		this.completionCount++;
		const planned = this.planCompletion(route, request.headers, decoded);
		if (planned.hang) return;
		await this.waitUntil(arrivedAt + planned.delayMs);
		this.write(response, planned);
	}

	private planCompletion(route: Route, headers: IncomingHttpHeaders, decoded: DecodedBody): Planned {
		const provider: Provider = route === 'anthropicCompletion' ? 'anthropic' : 'openai';
		const reject = (status: number, message: string) => this.errorReply(provider, status, message);
		// Rejected requests do not consume a scripted reply: a client bug fails loudly instead of being masked.
		const auth = authProblem(provider, headers, this.apiKeys);
		if (auth) return reject(401, auth);
		if (provider === 'anthropic' && headers['anthropic-version'] === undefined) {
			return reject(400, 'anthropic-version: header is required');
		}
		if (decoded.problem) return reject(400, decoded.problem);
		const invalid = requestProblem(route, decoded.body);
		if (invalid) return reject(400, invalid);

		const body = decoded.body;
		const scripted = this.queue.shift();
		if (scripted) return this.planScripted(provider, body, scripted);

		const marker = markerIn(lastUserText(body.messages));
		switch (marker?.kind) {
			case 'status': {
				const planned = this.errorReply(provider, marker.status);
				if (marker.status === 429) planned.headers['retry-after'] = '1';
				return planned;
			}
			case 'malformed':
				return { ...this.jsonReply(200, undefined), payload: MALFORMED_BODY };
			case 'hang':
				return { ...this.jsonReply(200, undefined), hang: true };
			default:
				return this.jsonReply(200, this.completion(provider, body, marker));
		}
	}

	private planScripted(provider: Provider, body: any, scripted: StubReply): Planned {
		const isSuccess = scripted.status >= 200 && scripted.status < 300;
		let payload: string;
		if (scripted.rawBody !== undefined) payload = scripted.rawBody;
		else if (scripted.body !== undefined) payload = JSON.stringify(scripted.body);
		else payload = JSON.stringify(isSuccess ? this.completion(provider, body, undefined) : errorBody(provider, scripted.status));
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		for (const [name, value] of Object.entries(scripted.headers ?? {})) headers[name.toLowerCase()] = value;
		return { status: scripted.status, headers, payload, hang: scripted.hang === true, delayMs: scripted.delayMs ?? this.latencyMs };
	}

	private completion(provider: Provider, body: any, marker: Marker | undefined): unknown {
		const userText = lastUserText(body.messages);
		const responseFormat = body.response_format?.type;
		// Anthropic has no JSON mode: clients ask for JSON in the system prompt, and a model that is asked complies.
		const jsonMode =
			provider === 'openai' ? responseFormat === 'json_object' || responseFormat === 'json_schema' : /\bjson\b/i.test(textOf(body.system));
		const text = replyText(userText, jsonMode, marker);
		const truncated = marker?.kind === 'length';
		this.replyCount++;
		return provider === 'openai'
			? this.openAiCompletion(body, text, truncated)
			: this.anthropicCompletion(body, text, truncated);
	}

	private openAiCompletion(body: any, content: string, truncated: boolean): unknown {
		const promptTokens = approximateTokens(allMessagesText(body.messages));
		const completionTokens = approximateTokens(content);
		return {
			id: `chatcmpl-stub-${this.replyCount}`,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model: body.model,
			choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: truncated ? 'length' : 'stop' }],
			usage: {
				prompt_tokens: promptTokens,
				completion_tokens: completionTokens,
				total_tokens: promptTokens + completionTokens,
				prompt_tokens_details: { cached_tokens: this.cachedTokens },
			},
		};
	}

	private anthropicCompletion(body: any, text: string, truncated: boolean): unknown {
		const systemText = textOf(body.system);
		const systemTokens = approximateTokens(systemText);
		const messageTokens = approximateTokens(allMessagesText(body.messages));
		const usesCacheControl = Array.isArray(body.system) && body.system.some((block: any) => block?.cache_control !== undefined);
		let cacheRead = 0;
		let cacheCreation = 0;
		if (usesCacheControl) {
			if (this.cachedSystemPrompts.has(systemText)) cacheRead = systemTokens;
			else cacheCreation = systemTokens;
			this.cachedSystemPrompts.add(systemText);
		} else {
			cacheRead = this.cachedTokens;
		}
		return {
			id: `msg_stub_${this.replyCount}`,
			type: 'message',
			role: 'assistant',
			model: body.model,
			content: [{ type: 'text', text }],
			stop_reason: truncated ? 'max_tokens' : 'end_turn',
			stop_sequence: null,
			usage: {
				// As in Anthropic's API, input_tokens excludes the tokens read from or written to the cache.
				input_tokens: Math.max(0, systemTokens + messageTokens - cacheRead - cacheCreation),
				output_tokens: approximateTokens(text),
				cache_read_input_tokens: cacheRead,
				cache_creation_input_tokens: cacheCreation,
			},
		};
	}

	private models(): unknown {
		const created = Math.floor(Date.now() / 1000);
		return {
			object: 'list',
			data: STUB_MODELS.map((id) => ({ id, object: 'model', type: 'model', display_name: id, created, owned_by: 'llm-stub' })),
			has_more: false,
		};
	}

	private jsonReply(status: number, body: unknown): Planned {
		return {
			status,
			headers: { 'content-type': 'application/json' },
			payload: body === undefined ? '' : JSON.stringify(body),
			hang: false,
			delayMs: this.latencyMs,
		};
	}

	/** An error reply in the provider's shape. */
	private errorReply(provider: Provider, status: number, message?: string): Planned {
		return this.jsonReply(status, errorBody(provider, status, message));
	}

	/** Waits until a performance.now() deadline; re-arms when a timer fires early, so latency is never short. */
	private waitUntil(deadline: number): Promise<void> {
		return new Promise((resolve) => {
			const check = () => {
				const remaining = deadline - performance.now();
				if (remaining <= 0 || this.closing) {
					if (!this.closing) resolve();
					return;
				}
				const timer = setTimeout(() => {
					this.timers.delete(timer);
					check();
				}, Math.ceil(remaining));
				this.timers.add(timer);
			};
			check();
		});
	}

	private write(response: ServerResponse, planned: Planned): void {
		if (response.destroyed || response.writableEnded) return;
		response.writeHead(planned.status, { ...planned.headers, 'content-length': String(Buffer.byteLength(planned.payload)) });
		response.end(planned.payload);
	}
}
