import {
	createChatClient,
	foldChatStream,
	ProviderError,
	resolveEndpoint,
	StreamedAnswer,
	type ChatChunk,
	type ChatRequest,
	type FetchLike,
	type ProviderEndpoint,
} from '../../../lib/providers';
import { parseAnthropicResponse } from '../../../lib/providers/anthropic';
import { DEFAULT_STUB_API_KEY, startLlmStub, type LlmStub } from '../../helpers/llmStub';
import { rejectionOf } from '../../helpers/thrownError';

const request = (prompt: string): ChatRequest => ({
	model: 'test-model',
	system: 'Be brief.',
	messages: [{ role: 'user', content: prompt }],
	temperature: 0,
	responseFormat: 'text',
});

const failureOf = (promise: Promise<unknown>) => rejectionOf(ProviderError, promise);

describe.each(['openAiCompatible', 'anthropic'] as const)('ChatClient.stream against %s', (provider) => {
	let stub: LlmStub;
	let endpoint: ProviderEndpoint;

	beforeAll(async () => {
		stub = await startLlmStub({ streamGapMs: 1 });
		endpoint = resolveEndpoint({ provider, baseUrl: provider === 'anthropic' ? stub.anthropicBaseUrl : stub.openAiBaseUrl, apiKey: DEFAULT_STUB_API_KEY });
	});
	afterEach(() => {
		stub.reset();
		stub.setStreamGap(1);
	});
	afterAll(async () => await stub.close());

	it('streams text in pieces, ends with one finish chunk, and folds to what send returns', async () => {
		const client = createChatClient(endpoint, { timeoutMs: 5000 });
		const chunks: ChatChunk[] = [];
		for await (const chunk of client.stream(request('Tell me about Paris'))) chunks.push(chunk);
		const texts = chunks.filter((chunk) => chunk.type === 'text');
		expect(texts.length).toBeGreaterThan(1);
		expect(chunks.filter((chunk) => chunk.type === 'finish')).toHaveLength(1);
		expect(chunks[chunks.length - 1]).toMatchObject({ type: 'finish', finishReason: 'stop' });

		const answer = new StreamedAnswer();
		for (const chunk of chunks) answer.add(chunk);
		const { raw, ...streamed } = answer.result();
		const { raw: sentRaw, ...sent } = await client.send(request('Tell me about Paris'));
		expect(streamed).toEqual(sent);
		expect(streamed.text).toBe('echo: Tell me about Paris');
		expect(raw).toEqual({ streamed: true });
		expect(sentRaw).not.toEqual(raw);
		expect(stub.requests[0].headers[provider === 'anthropic' ? 'x-api-key' : 'authorization']).toBeDefined();
	});

	it('fails before the first chunk with the ProviderError send gives for a 429, Retry-After included', async () => {
		const client = createChatClient(endpoint, { timeoutMs: 5000 });
		const chunks: ChatChunk[] = [];
		const error = await failureOf(
			(async () => {
				for await (const chunk of client.stream(request('busy [[status:429]]'))) chunks.push(chunk);
			})(),
		);
		expect(chunks).toEqual([]);
		expect(error).toMatchObject({ status: 429, errorClass: 'rate_limit', retryable: true, retryAfterMs: 1000 });
	});

	it('fails when the stream is cut off mid-way, never yielding a finish', async () => {
		const client = createChatClient(endpoint, { timeoutMs: 5000 });
		const answer = new StreamedAnswer();
		const error = await failureOf(
			(async () => {
				for await (const chunk of client.stream(request('long answer please [[malformed]]'))) answer.add(chunk);
			})(),
		);
		expect(error.retryable).toBe(true);
		expect(error.errorClass).toBe('network');
		expect(() => answer.result()).toThrow(/not complete/);
		await expect(foldChatStream(client.stream(request('again [[malformed]]')))).rejects.toBeInstanceOf(ProviderError);
	});

	it('is cancelled mid-stream by the request signal and by the client signal', async () => {
		stub.setStreamGap(200);
		const execution = new AbortController();
		const client = createChatClient(endpoint, { timeoutMs: 0, signal: execution.signal });
		for (const cancel of [(perRequest: AbortController) => perRequest.abort(), () => execution.abort()]) {
			const perRequest = new AbortController();
			const received: ChatChunk[] = [];
			const error = await failureOf(
				(async () => {
					for await (const chunk of client.stream(request('a slow answer'), perRequest.signal)) {
						received.push(chunk);
						cancel(perRequest);
					}
				})(),
			);
			expect(received.length).toBeGreaterThan(0);
			expect(received.some((chunk) => chunk.type === 'finish')).toBe(false);
			expect(error).toMatchObject({ errorClass: 'cancelled', retryable: false });
		}
	});

	it('gives up after the timeout, which covers the whole stream', async () => {
		stub.setStreamGap(200);
		const client = createChatClient(endpoint, { timeoutMs: 100 });
		const error = await failureOf(foldChatStream(client.stream(request('a slow answer'))));
		expect(error).toMatchObject({ errorClass: 'timeout', retryable: true });
	});

	it('fails with no secret in the error when the key is refused', async () => {
		const secretKey = 'sk-test-wrong-account-0123456789';
		const wrong = resolveEndpoint({ provider, baseUrl: endpoint.baseUrl, apiKey: secretKey });
		const error = await failureOf(foldChatStream(createChatClient(wrong, { timeoutMs: 5000 }).stream(request('hello'))));
		expect(error).toMatchObject({ status: 401, errorClass: 'auth', retryable: false });
		expect(JSON.stringify(error) + error.message + String(error.stack)).not.toContain(secretKey);
	});

	it('holds its parallel-request slot until the stream ends, and gives it back when the reader stops early', async () => {
		stub.setStreamGap(30);
		const client = createChatClient(endpoint, { timeoutMs: 5000, maxConcurrent: 1 });
		const first = foldChatStream(client.stream(request('first')));
		const second = foldChatStream(client.stream(request('second')));
		await waitFor(() => stub.upstreamCalls() === 1);
		await new Promise((resolve) => setTimeout(resolve, 60));
		expect(stub.upstreamCalls()).toBe(1);
		expect((await first).text).toBe('echo: first');
		expect((await second).text).toBe('echo: second');

		for await (const chunk of client.stream(request('left early'))) if (chunk.type === 'text') break;
		expect((await foldChatStream(client.stream(request('after')))).text).toBe('echo: after');
	});
});

describe('streamChat with a fetch under test control', () => {
	const endpoint = resolveEndpoint({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:9', apiKey: 'sk-ant-secret-0123456789abcdef' });

	/** A body that yields the given pieces one by one, each only once the test releases it. */
	function controlledFetch(pieces: Uint8Array[]) {
		const gates = pieces.map(() => {
			let open!: () => void;
			const opened = new Promise<void>((resolve) => (open = resolve));
			return { open, opened };
		});
		const fetch: FetchLike = async () => ({
			status: 200,
			headers: { get: () => null },
			text: async () => Buffer.concat(pieces).toString('utf8'),
			body: (async function* () {
				for (const [index, piece] of pieces.entries()) {
					await gates[index].opened;
					yield piece;
				}
			})(),
		});
		return { fetch, release: (index: number) => gates[index].open() };
	}

	const frame = (payload: { type: string; [field: string]: unknown }) => `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;

	it('hands over each event as soon as it is in, without waiting for the rest of the body', async () => {
		const start = Buffer.from(
			frame({ type: 'message_start', message: { usage: { input_tokens: 5, output_tokens: 1 } } }) +
				frame({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) +
				'event: content_block_delta\r\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Grüß"}}\r\n\r',
		);
		// The event is split across reads in the middle of the "ü" and between the CR and LF of its blank line.
		const split = start.indexOf(Buffer.from('ü')) + 1;
		const { fetch, release } = controlledFetch([
			start.subarray(0, split),
			start.subarray(split),
			Buffer.from('\n'),
			Buffer.from(frame({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } }) + frame({ type: 'message_stop' })),
		]);
		const iterator = createChatClient(endpoint, { timeoutMs: 0, fetch }).stream(request('hi'))[Symbol.asyncIterator]();
		release(0);
		release(1);
		release(2);
		expect((await iterator.next()).value).toEqual({ type: 'text', delta: 'Grüß' });
		// The end of the body has not been released: the chunk above came while the stream was still open.
		release(3);
		expect((await iterator.next()).value).toEqual({ type: 'finish', finishReason: 'stop', usage: { input: 5, output: 3, cachedInput: 0, cacheWrite: 0 } });
		expect((await iterator.next()).done).toBe(true);
	});

	it('gives a streamed tool call the argument text send gives, however the provider spaced its JSON pieces', async () => {
		const { fetch, release } = controlledFetch([
			Buffer.from(
				[
					frame({ type: 'message_start', message: { usage: { input_tokens: 5 } } }),
					frame({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: 'Looking.' } }),
					frame({ type: 'content_block_stop', index: 0 }),
					frame({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'weather', input: {} } }),
					frame({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city": "Pa' } }),
					frame({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: 'ris", "days": 2}' } }),
					frame({ type: 'content_block_stop', index: 1 }),
					frame({ type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_2', name: 'clock', input: {} } }),
					frame({ type: 'content_block_stop', index: 2 }),
					frame({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } }),
					frame({ type: 'message_stop' }),
				].join(''),
			),
		]);
		release(0);
		const streamed = await foldChatStream(createChatClient(endpoint, { timeoutMs: 0, fetch }).stream(request('hi')));
		const sent = parseAnthropicResponse({
			content: [
				{ type: 'text', text: 'Looking.' },
				{ type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris', days: 2 } },
				{ type: 'tool_use', id: 'toolu_2', name: 'clock', input: {} },
			],
			stop_reason: 'tool_use',
			usage: { input_tokens: 5, output_tokens: 9 },
		});
		expect({ ...streamed, raw: null }).toEqual({ ...sent, raw: null });
		expect(streamed.toolCalls[0].argumentsText).toBe('{"city":"Paris","days":2}');
	});

	it('turns an error event mid-stream into a retryable ProviderError with no secret in it', async () => {
		const { fetch, release } = controlledFetch([
			Buffer.from(
				frame({ type: 'message_start', message: { usage: { input_tokens: 5 } } }) +
					frame({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded for key sk-ant-secret-0123456789abcdef' } }),
			),
		]);
		release(0);
		const error = await failureOf(foldChatStream(createChatClient(endpoint, { timeoutMs: 0, fetch }).stream(request('hi'))));
		expect(error).toMatchObject({ code: 'overloaded_error', retryable: true });
		expect(error.message).not.toContain('sk-ant-secret-0123456789abcdef');
	});
});

describe('streamChat when a body ends cleanly but early', () => {
	it('is an incomplete_stream ProviderError, not the partial answer, when OpenAI\'s [DONE] never comes', async () => {
		const endpoint = resolveEndpoint({ provider: 'openAiCompatible', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-test-0123456789' });
		const chunk = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
		const body = chunk({ content: 'Hello' }) + chunk({}, 'stop');
		const fetch: FetchLike = async () => ({ status: 200, headers: { get: () => null }, text: async () => body });
		const error = await failureOf(foldChatStream(createChatClient(endpoint, { timeoutMs: 0, fetch }).stream(request('hi'))));
		expect(error).toMatchObject({ code: 'incomplete_stream', errorClass: 'network', retryable: true });
		const complete: FetchLike = async () => ({ status: 200, headers: { get: () => null }, text: async () => `${body}data: [DONE]\n\n` });
		const result = await foldChatStream(createChatClient(endpoint, { timeoutMs: 0, fetch: complete }).stream(request('hi')));
		expect(result).toMatchObject({ text: 'Hello', finishReason: 'stop', toolCalls: [] });
	});
});

async function waitFor(condition: () => boolean): Promise<void> {
	for (let tries = 0; tries < 400 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 5));
	expect(condition()).toBe(true);
}
