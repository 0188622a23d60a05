import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { decideToolReply, textOf, toolTextOf, validateToolScript, type Provider, type ToolCall, type ToolScript } from './llmStubConversation';
import { batchRouteProvider, StubBatches, type StubBatchCounters, type StubBatchOptions } from './llmStubBatches';
import { anthropicStreamFrames, openAiStreamFrames } from './llmStubStream';

export type { ScriptedToolCall, ToolScript } from './llmStubConversation';
export type { StubBatchCounters, StubBatchOptions } from './llmStubBatches';

/**
 * A stand-in for the OpenAI and Anthropic HTTP APIs on 127.0.0.1, for tests, benchmarks and the end-to-end
 * demo. Replies are derived from the request (an echo of the last user message), so a test can tell which
 * prompt an answer belongs to and the same prompt always gets the same answer.
 *
 * Routes: POST /v1/chat/completions (OpenAI), POST /v1/messages (Anthropic), GET /v1/models (both),
 * the batch APIs (OpenAI POST /v1/files, GET /v1/files/:id/content, POST /v1/batches, GET /v1/batches/:id, POST
 * /v1/batches/:id/cancel; Anthropic POST /v1/messages/batches, GET /v1/messages/batches/:id, POST …/:id/cancel,
 * GET …/:id/results; see llmStubBatches.ts: completion delay, expiry, per-request failures by marker, counters),
 * GET /_stub/stats (counters for a stub running as a separate process: upstreamCalls, requests, toolCalls,
 * batchesCreated, requestsSubmitted, batchesCancelled),
 * POST /_stub/script (a ToolScript or a list of them, added as script() adds them) and DELETE /_stub/script
 * (clears them); the /_stub routes are not recorded as requests.
 *
 * Markers in the last user message, honoured only when no scripted reply is queued:
 * `[[status:NNN]]` that status with a provider-shaped error (429 also sends `retry-after: 1`),
 * `[[malformed]]` 200 with a body cut off mid-JSON, `[[invalid-json]]` 200 whose content is prose, not JSON,
 * `[[hang]]` no reply until close(), `[[length]]` the reply cut in half with finish_reason 'length' /
 * stop_reason 'max_tokens'.
 *
 * JSON mode: OpenAI requests with response_format json_object (or json_schema), and Anthropic requests whose
 * system prompt mentions JSON, get `{"echo": <last user text>}` as their content.
 *
 * Tool calling, for requests that declare `tools` (OpenAI functions, Anthropic tools). What to call is decided by
 * the first user message (the prompt): the first registered ToolScript that matches it, else the
 * `[[tool:NAME {json args}]]` markers in it (several markers: parallel calls in one answer). Turn N of the script is
 * answered while the conversation holds fewer than N+1 assistant answers with tool calls: OpenAI
 * `message.tool_calls[]` with finish_reason 'tool_calls', Anthropic `tool_use` blocks with stop_reason 'tool_use'.
 * After the last turn, or with no script or marker once tool results are in (OpenAI `role: "tool"` messages,
 * Anthropic `tool_result` blocks), the answer is `answer: <tool results joined by newlines>` (a script's `answer`
 * template replaces `{results}`), so a test can see the tool really ran. Otherwise the echo. Call ids are derived
 * from the prompt and the turn, so the same conversation always gets the same ids. tool_choice none: no calls.
 * A tool call without its result (or a result without its call) is a 400, as with the real APIs; so is a
 * scripted tool the request does not declare, or a marker whose arguments are not JSON.
 *
 * Streaming (`stream: true`): the same answer as server-sent events, after the latency, frames spaced by
 * streamGapMs. OpenAI: chat.completion.chunk frames with delta.content pieces or delta.tool_calls (index, id, name,
 * then argument pieces), a last chunk with finish_reason, a usage chunk when stream_options.include_usage is set,
 * then `data: [DONE]`. Anthropic: message_start, content_block_start/delta (text_delta, input_json_delta)/stop,
 * message_delta (stop_reason, usage), message_stop. Errors (markers, scripted replies with a body) are plain JSON
 * with their status; `[[malformed]]` sends half the frames, then a cut-off frame, then drops the connection.
 */

/** One request as the stub received it. */
export interface StubRequest {
	/** The URL path without the query string. */
	path: string;
	/** The query string's parameters. */
	query: Record<string, string>;
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
	/** Pause between two frames of a streamed answer. @default 5 */
	streamGapMs?: number;
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
	/** Completion requests (POST chat/completions and messages) received, streamed or not, whatever their outcome; batched requests are not among them. */
	upstreamCalls(): number;
	/** The batch APIs: their settings, counters, and a way to end every running batch now. */
	readonly batches: { configure(options: StubBatchOptions): void; stats(): StubBatchCounters; finishAll(): void };
	/** Tool calls the stub has answered with (a parallel answer with two calls counts two). */
	toolCallsIssued(): number;
	/** Adds tool scripts; for a prompt several match, the first added wins. Throws on a malformed script. */
	script(...scripts: ToolScript[]): void;
	clearScripts(): void;
	setStreamGap(ms: number): void;
	/** Replaces what GET /v1/models lists (in this order, as Anthropic lists newest first); reset() restores STUB_MODELS. */
	setModels(ids: readonly string[]): void;
	/** Delay before each model-list reply (completions keep their own latency). @default 0 */
	setModelsLatency(ms: number): void;
	/** Replies consumed in order by the next completion requests that pass auth and validation. */
	enqueue(...replies: StubReply[]): void;
	setLatency(ms: number): void;
	/** Clears requests, counters, the queue, the tool scripts, the Anthropic prompt-cache memory and every batch and file. */
	reset(): void;
	/** Closes the server and destroys open sockets, hanging requests included. */
	close(): Promise<void>;
}

export const DEFAULT_STUB_API_KEY = 'test-key';

/**
 * What GET /v1/models lists: enough for credential tests of either provider. OpenAI's shape is
 * `{object: 'list', data: [{id, object: 'model', created, owned_by}]}`; Anthropic's (requests with its headers) is
 * `{data: [{type: 'model', id, display_name, created_at}], has_more, first_id, last_id}`, paged by `limit`
 * (1 to 1000, default 20) and `after_id` as the real API pages.
 */
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

type Route = 'openaiCompletion' | 'anthropicCompletion' | 'models' | 'stats' | 'addScripts' | 'clearScripts' | 'batch' | 'unknown';

/** Tolerates `base/` + `/chat/completions` joins and trailing slashes from hand-configured base URLs. */
function normalizedPath(path: string): string {
	return path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}

function routeOf(method: string, path: string): Route {
	const normalized = normalizedPath(path);
	if (batchRouteProvider(normalized)) return 'batch';
	if (method === 'POST' && normalized === '/v1/chat/completions') return 'openaiCompletion';
	if (method === 'POST' && normalized === '/v1/messages') return 'anthropicCompletion';
	if (method === 'GET' && normalized === '/v1/models') return 'models';
	if (method === 'GET' && normalized === '/_stub/stats') return 'stats';
	if (method === 'POST' && normalized === '/_stub/script') return 'addScripts';
	if (method === 'DELETE' && normalized === '/_stub/script') return 'clearScripts';
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

function lastUserText(messages: any[]): string {
	for (let index = messages.length - 1; index >= 0; index--) {
		if (messages[index]?.role === 'user') return textOf(messages[index].content);
	}
	return '';
}

/** What the prompt tokens are counted from: message texts, tool calls and results, and the tool definitions. */
function promptText(body: any): string {
	const messages = (body.messages as any[]).map((message) => textOf(message?.content) + toolTextOf(message)).join('');
	return Array.isArray(body.tools) && body.tools.length > 0 ? messages + JSON.stringify(body.tools) : messages;
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
	if (body.tools !== undefined && !Array.isArray(body.tools)) return 'tools: must be a list';
	return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The server

/** The content of an answer before it takes a provider's shape. */
interface Reply {
	text: string;
	toolCalls: ToolCall[];
	truncated: boolean;
}

/** A reply decided, not yet written. */
interface Planned {
	status: number;
	headers: Record<string, string>;
	payload: string;
	hang: boolean;
	delayMs: number;
	/** Server-sent event frames, written one by one instead of payload. */
	frames?: string[];
	/** Write only this many frames, then a cut-off one, then drop the connection. */
	cutAfterFrames?: number;
}

class StubServer implements LlmStub {
	readonly requests: StubRequest[] = [];
	readonly batches: StubBatches;
	private readonly server: Server;
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly queue: StubReply[] = [];
	private readonly scripts: ToolScript[] = [];
	/** System prompts already written to Anthropic's prompt cache (by a request with cache_control). */
	private readonly cachedSystemPrompts = new Set<string>();
	private readonly apiKeys: string[];
	private readonly cachedTokens: number;
	private latencyMs: number;
	private streamGapMs: number;
	private completionCount = 0;
	private modelIds: readonly string[] = STUB_MODELS;
	private modelsLatencyMs = 0;
	private toolCallCount = 0;
	private replyCount = 0;
	private port = 0;
	private closing: Promise<void> | undefined;

	constructor(options: LlmStubOptions) {
		this.apiKeys = [options.apiKey ?? DEFAULT_STUB_API_KEY].flat();
		this.cachedTokens = options.cachedTokens ?? 0;
		this.latencyMs = options.latencyMs ?? 0;
		this.streamGapMs = options.streamGapMs ?? 5;
		this.batches = new StubBatches((provider, body) => this.answerForBatch(provider, body));
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

	toolCallsIssued(): number {
		return this.toolCallCount;
	}

	script(...scripts: ToolScript[]): void {
		this.scripts.push(...scripts.map(validateToolScript));
	}

	clearScripts(): void {
		this.scripts.length = 0;
	}

	setLatency(ms: number): void {
		this.latencyMs = ms;
	}

	setStreamGap(ms: number): void {
		this.streamGapMs = ms;
	}

	setModels(ids: readonly string[]): void {
		this.modelIds = [...ids];
	}

	setModelsLatency(ms: number): void {
		this.modelsLatencyMs = ms;
	}

	reset(): void {
		this.requests.length = 0;
		this.queue.length = 0;
		this.scripts.length = 0;
		this.cachedSystemPrompts.clear();
		this.completionCount = 0;
		this.toolCallCount = 0;
		this.replyCount = 0;
		this.modelIds = STUB_MODELS;
		this.modelsLatencyMs = 0;
		this.batches.reset();
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
		const { pathname: path, searchParams } = new URL(request.url ?? '/', 'http://stub');
		const route = routeOf(method, path);

		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const decoded = decodeBody(Buffer.concat(chunks), request.headers['content-encoding'] as string | undefined);

		if (route === 'stats') {
			const stats = { upstreamCalls: this.completionCount, requests: this.requests.length, toolCalls: this.toolCallCount, ...this.batches.stats() };
			await this.write(response, this.jsonReply(200, stats));
			return;
		}
		if (route === 'addScripts' || route === 'clearScripts') {
			await this.write(response, this.scriptRoute(route, decoded));
			return;
		}
		this.requests.push({ path, query: Object.fromEntries(searchParams), method, headers: { ...request.headers }, body: decoded.body, receivedAt });

		if (route === 'models') {
			const provider = providerOfHeaders(request.headers);
			const problem = authProblem(provider, request.headers, this.apiKeys);
			const planned = problem ? this.errorReply(provider, 401, problem) : this.modelList(provider, searchParams);
			await this.waitUntil(arrivedAt + this.modelsLatencyMs);
			await this.write(response, planned);
			return;
		}
		if (route === 'batch') {
			await this.write(response, this.batchRoute(method, normalizedPath(path), request.headers, Buffer.concat(chunks)));
			return;
		}
		if (route === 'unknown') {
			await this.write(response, this.errorReply(providerOfHeaders(request.headers), 404, `Invalid URL (${method} ${path})`));
			return;
		}

		this.completionCount++;
		const planned = this.planCompletion(route, request.headers, decoded);
		if (planned.hang) return;
		await this.waitUntil(arrivedAt + planned.delayMs);
		await this.write(response, planned);
	}

	private batchRoute(method: string, path: string, headers: IncomingHttpHeaders, raw: Buffer): Planned {
		const provider = batchRouteProvider(path)!;
		const auth = authProblem(provider, headers, this.apiKeys);
		if (auth) return this.errorReply(provider, 401, auth);
		if (provider === 'anthropic' && headers['anthropic-version'] === undefined) return this.errorReply(provider, 400, 'anthropic-version: header is required');
		const reply = this.batches.handle(method, path, String(headers['content-type'] ?? ''), raw);
		return { ...this.jsonReply(reply.status, undefined), headers: { 'content-type': reply.contentType }, payload: reply.payload, delayMs: 0 };
	}

	/** One request of a batch, answered as a completion request would be: validation, `[[status:NNN]]`, then the stub's answer. */
	private answerForBatch(provider: Provider, body: any): { status: number; body: unknown } {
		const invalid = requestProblem(provider === 'anthropic' ? 'anthropicCompletion' : 'openaiCompletion', body);
		if (invalid) return { status: 400, body: errorBody(provider, 400, invalid) };
		if (body.stream === true) return { status: 400, body: errorBody(provider, 400, 'stream: not supported in a batch') };
		const marker = markerIn(lastUserText(body.messages));
		if (marker?.kind === 'status') return { status: marker.status, body: errorBody(provider, marker.status) };
		const planned = this.answer(provider, body, marker?.kind === 'length' || marker?.kind === 'invalid-json' ? marker : undefined);
		return { status: planned.status, body: JSON.parse(planned.payload) };
	}

	private scriptRoute(route: 'addScripts' | 'clearScripts', decoded: DecodedBody): Planned {
		if (route === 'clearScripts') {
			this.clearScripts();
			return this.jsonReply(200, { scripts: 0 });
		}
		try {
			if (decoded.problem) throw new Error(decoded.problem);
			this.script(...[decoded.body].flat());
		} catch (error) {
			return this.errorReply('openai', 400, error.message);
		}
		return this.jsonReply(200, { scripts: this.scripts.length });
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
			case 'malformed': {
				if (body.stream !== true) return { ...this.jsonReply(200, undefined), payload: MALFORMED_BODY };
				const planned = this.answer(provider, body, undefined);
				return { ...planned, cutAfterFrames: Math.ceil((planned.frames?.length ?? 0) / 2) };
			}
			case 'hang':
				return { ...this.jsonReply(200, undefined), hang: true };
			default:
				return this.answer(provider, body, marker);
		}
	}

	private planScripted(provider: Provider, body: any, scripted: StubReply): Planned {
		const isSuccess = scripted.status >= 200 && scripted.status < 300;
		let planned: Planned;
		if (scripted.rawBody !== undefined) planned = { ...this.jsonReply(scripted.status, undefined), payload: scripted.rawBody };
		else if (scripted.body !== undefined) planned = this.jsonReply(scripted.status, scripted.body);
		else if (isSuccess) planned = { ...this.answer(provider, body, undefined), status: scripted.status };
		else planned = this.errorReply(provider, scripted.status);
		for (const [name, value] of Object.entries(scripted.headers ?? {})) planned.headers[name.toLowerCase()] = value;
		return { ...planned, hang: scripted.hang === true, delayMs: scripted.delayMs ?? this.latencyMs };
	}

	/** The stub's own answer: tool call, tool-result answer or echo; as JSON, or as a stream when asked. */
	private answer(provider: Provider, body: any, marker: Marker | undefined): Planned {
		const decision = decideToolReply(provider, body, this.scripts);
		if (decision?.kind === 'problem') return this.errorReply(provider, 400, decision.message);
		let reply: Reply;
		if (decision === undefined) {
			const responseFormat = body.response_format?.type;
			// Anthropic has no JSON mode: clients ask for JSON in the system prompt, and a model that is asked complies.
			const jsonMode =
				provider === 'openai' ? responseFormat === 'json_object' || responseFormat === 'json_schema' : /\bjson\b/i.test(textOf(body.system));
			reply = { text: replyText(lastUserText(body.messages), jsonMode, marker), toolCalls: [], truncated: marker?.kind === 'length' };
		} else if (decision.kind === 'calls') {
			reply = { text: '', toolCalls: decision.calls, truncated: false };
			this.toolCallCount += decision.calls.length;
		} else {
			reply = { text: decision.text, toolCalls: [], truncated: false };
		}
		this.replyCount++;
		const completion = provider === 'openai' ? this.openAiCompletion(body, reply) : this.anthropicCompletion(body, reply);
		if (body.stream !== true) return this.jsonReply(200, completion);
		const frames =
			provider === 'openai' ? openAiStreamFrames(completion, body.stream_options?.include_usage === true) : anthropicStreamFrames(completion);
		return {
			...this.jsonReply(200, undefined),
			headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
			frames,
		};
	}

	private openAiCompletion(body: any, reply: Reply): unknown {
		const promptTokens = approximateTokens(promptText(body));
		const calls = reply.toolCalls;
		const completionTokens = approximateTokens(reply.text + calls.map((call) => call.name + call.arguments).join(''));
		const message =
			calls.length === 0
				? { role: 'assistant', content: reply.text }
				: {
						role: 'assistant',
						content: null,
						tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
					};
		const finishReason = calls.length > 0 ? 'tool_calls' : reply.truncated ? 'length' : 'stop';
		return {
			id: `chatcmpl-stub-${this.replyCount}`,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model: body.model,
			choices: [{ index: 0, message, finish_reason: finishReason }],
			usage: {
				prompt_tokens: promptTokens,
				completion_tokens: completionTokens,
				total_tokens: promptTokens + completionTokens,
				prompt_tokens_details: { cached_tokens: this.cachedTokens },
			},
		};
	}

	private anthropicCompletion(body: any, reply: Reply): unknown {
		const systemText = textOf(body.system);
		const systemTokens = approximateTokens(systemText);
		const messageTokens = approximateTokens(promptText(body));
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
			content:
				reply.toolCalls.length === 0
					? [{ type: 'text', text: reply.text }]
					: reply.toolCalls.map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: JSON.parse(call.arguments) })),
			stop_reason: reply.toolCalls.length > 0 ? 'tool_use' : reply.truncated ? 'max_tokens' : 'end_turn',
			stop_sequence: null,
			usage: {
				// As in Anthropic's API, input_tokens excludes the tokens read from or written to the cache.
				input_tokens: Math.max(0, systemTokens + messageTokens - cacheRead - cacheCreation),
				output_tokens: approximateTokens(reply.text + reply.toolCalls.map((call) => call.name + call.arguments).join('')),
				cache_read_input_tokens: cacheRead,
				cache_creation_input_tokens: cacheCreation,
			},
		};
	}

	private modelList(provider: Provider, query: URLSearchParams): Planned {
		// A fixed date, so the same model always lists the same way.
		const created = Date.UTC(2025, 0, 15) / 1000;
		if (provider === 'openai') {
			const data = this.modelIds.map((id) => ({ id, object: 'model', created, owned_by: 'llm-stub' }));
			return this.jsonReply(200, { object: 'list', data });
		}
		const limit = query.has('limit') ? Number(query.get('limit')) : 20;
		if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
			return this.errorReply('anthropic', 400, 'limit: Input should be less than or equal to 1000');
		}
		const afterId = query.get('after_id');
		const start = afterId === null ? 0 : this.modelIds.indexOf(afterId) + 1;
		if (afterId !== null && start === 0) return this.errorReply('anthropic', 400, `after_id: unknown model ${afterId}`);
		const page = this.modelIds.slice(start, start + limit);
		const data = page.map((id) => ({
			type: 'model',
			id,
			display_name: id
				.split('-')
				.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
				.join(' '),
			created_at: new Date(created * 1000).toISOString(),
		}));
		return this.jsonReply(200, {
			data,
			has_more: start + page.length < this.modelIds.length,
			first_id: page[0] ?? null,
			last_id: page[page.length - 1] ?? null,
		});
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

	private async write(response: ServerResponse, planned: Planned): Promise<void> {
		if (response.destroyed || response.writableEnded) return;
		if (planned.frames === undefined) {
			response.writeHead(planned.status, { ...planned.headers, 'content-length': String(Buffer.byteLength(planned.payload)) });
			response.end(planned.payload);
			return;
		}
		response.writeHead(planned.status, planned.headers);
		const count = Math.min(planned.frames.length, planned.cutAfterFrames ?? Infinity);
		for (let index = 0; index < count; index++) {
			// A gap between frames, so that a consumer really receives the answer in pieces.
			if (index > 0 && this.streamGapMs > 0) await this.waitUntil(performance.now() + this.streamGapMs);
			if (response.destroyed) return;
			response.write(planned.frames[index]);
		}
		if (planned.cutAfterFrames === undefined) {
			response.end();
			return;
		}
		// Dropped once the cut-off frame is flushed, so the consumer sees the frames before it, then a broken stream.
		response.write(planned.frames[count]?.slice(0, 20) ?? 'data: {"id":', () => response.destroy());
	}
}
