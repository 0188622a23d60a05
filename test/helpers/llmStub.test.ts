import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openAiErrorBody, startLlmStub, type LlmStub } from './llmStub';

const KEY = 'test-key';
/** The batch counters of a stub that has seen no batch. */
const NO_BATCHES = { batchesCreated: 0, requestsSubmitted: 0, batchesCancelled: 0 };

/** A fetch Response whose json() is `any`: these tests check response shapes field by field. */
type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };

function fetchStub(url: string, init?: RequestInit): Promise<JsonResponse> {
	return fetch(url, init);
}

interface PostOptions {
	headers?: Record<string, string>;
	body?: string | Buffer;
	signal?: AbortSignal;
}

function postOpenAi(stub: LlmStub, body: unknown, options: PostOptions = {}): Promise<JsonResponse> {
	return fetchStub(`${stub.openAiBaseUrl}/chat/completions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...options.headers },
		body: options.body ?? JSON.stringify(body),
		signal: options.signal,
	});
}

function postAnthropic(stub: LlmStub, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
	return fetchStub(`${stub.anthropicBaseUrl}/v1/messages`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01', ...headers },
		body: JSON.stringify(body),
	});
}

const chat = (content: unknown, extra: Record<string, unknown> = {}) => ({
	model: 'gpt-4o-mini',
	messages: [{ role: 'user', content }],
	...extra,
});

const message = (content: unknown, extra: Record<string, unknown> = {}) => ({
	model: 'claude-3-5-haiku-latest',
	max_tokens: 100,
	messages: [{ role: 'user', content }],
	...extra,
});

async function timed<T>(body: () => Promise<T>): Promise<{ result: T; elapsedMs: number }> {
	const start = performance.now();
	const result = await body();
	return { result, elapsedMs: performance.now() - start };
}

/** Server-sent events as a consumer reads them: `event:` name (Anthropic) and parsed `data:` payload, [DONE] as a string. */
interface SseEvent {
	event?: string;
	data: any;
}

function parseSse(text: string): SseEvent[] {
	return text
		.split('\n\n')
		.filter((frame) => frame.trim().length > 0)
		.map((frame) => {
			const event = /^event: (.+)$/m.exec(frame)?.[1];
			const data = /^data: (.+)$/m.exec(frame)?.[1] ?? '';
			return { event, data: data === '[DONE]' ? data : JSON.parse(data) };
		});
}

/** Reads a streamed body chunk by chunk, noting how many network reads it took; stops at a dropped connection. */
async function readStream(response: Response): Promise<{ text: string; reads: number; failed: boolean }> {
	const reader = (response.body as ReadableStream<Uint8Array>).getReader();
	const decoder = new TextDecoder();
	let text = '';
	let reads = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return { text, reads, failed: false };
			reads++;
			text += decoder.decode(value, { stream: true });
		}
	} catch {
		return { text, reads, failed: true };
	}
}

const CALCULATOR_OPENAI = {
	type: 'function',
	function: { name: 'calculator', description: 'Adds two numbers', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } },
};
const CALCULATOR_ANTHROPIC = {
	name: 'calculator',
	description: 'Adds two numbers',
	input_schema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
};

/** The second OpenAI turn: the prompt, the assistant's tool calls, one tool message per call. */
function openAiFollowUp(prompt: string, toolCalls: any[], results: string[], extra: Record<string, unknown> = {}) {
	return chat(prompt, { tools: [CALCULATOR_OPENAI], ...extra, messages: [
		{ role: 'user', content: prompt },
		{ role: 'assistant', content: null, tool_calls: toolCalls },
		...toolCalls.map((call, index) => ({ role: 'tool', tool_call_id: call.id, content: results[index] })),
	] });
}

function anthropicFollowUp(prompt: string, toolUses: any[], results: string[], extra: Record<string, unknown> = {}) {
	return message(prompt, { tools: [CALCULATOR_ANTHROPIC], ...extra, messages: [
		{ role: 'user', content: prompt },
		{ role: 'assistant', content: toolUses },
		{ role: 'user', content: toolUses.map((use, index) => ({ type: 'tool_result', tool_use_id: use.id, content: [{ type: 'text', text: results[index] }] })) },
	] });
}


describe('LLM stub', () => {
	let stub: LlmStub;

	beforeAll(async () => {
		stub = await startLlmStub();
	});
	afterAll(async () => await stub.close());
	beforeEach(() => {
		stub.reset();
		stub.setLatency(0);
		stub.setStreamGap(5);
	});

	describe('OpenAI chat completions', () => {
		it('echoes the last user message with deterministic usage, and records the request', async () => {
			const body = {
				model: 'gpt-4o-mini',
				messages: [
					{ role: 'system', content: 'Be brief.' },
					{ role: 'user', content: 'first' },
					{ role: 'assistant', content: 'ok' },
					{ role: 'user', content: 'hello world' },
				],
				temperature: 0,
			};
			const response = await postOpenAi(stub, body);
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('application/json');
			const json = await response.json();
			expect(json).toMatchObject({
				object: 'chat.completion',
				model: 'gpt-4o-mini',
				choices: [{ index: 0, message: { role: 'assistant', content: 'echo: hello world' }, finish_reason: 'stop' }],
				// 'Be brief.' + 'first' + 'ok' + 'hello world' = 27 chars -> 7 tokens; 'echo: hello world' = 17 -> 5.
				usage: { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12, prompt_tokens_details: { cached_tokens: 0 } },
			});
			expect(json.id).toMatch(/^chatcmpl-/);
			expect(typeof json.created).toBe('number');

			expect(stub.requests).toHaveLength(1);
			expect(stub.requests[0]).toMatchObject({ path: '/v1/chat/completions', method: 'POST', body });
			expect(stub.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
			expect(stub.requests[0].receivedAt).toBeLessThanOrEqual(Date.now());
		});

		it('joins the text parts of array content', async () => {
			const content = [
				{ type: 'text', text: 'part one' },
				{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
				{ type: 'text', text: 'part two' },
			];
			const json = await (await postOpenAi(stub, chat(content))).json();
			expect(json.choices[0].message.content).toBe('echo: part one\npart two');
		});

		it('answers JSON mode with {echo}', async () => {
			const json = await (await postOpenAi(stub, chat('give me json', { response_format: { type: 'json_object' } }))).json();
			expect(JSON.parse(json.choices[0].message.content)).toEqual({ echo: 'give me json' });
		});

		it('reads gzip-compressed request bodies', async () => {
			const compressed = gzipSync(JSON.stringify(chat('zipped')));
			const response = await postOpenAi(stub, undefined, { body: compressed, headers: { 'content-encoding': 'gzip' } });
			expect((await response.json()).choices[0].message.content).toBe('echo: zipped');
			expect(stub.requests[0].body).toEqual(chat('zipped'));
		});

		it('rejects a missing or wrong key with 401 in OpenAI shape, and bad bodies with 400', async () => {
			const missing = await postOpenAi(stub, chat('hi'), { headers: { authorization: '' } });
			expect(missing.status).toBe(401);
			const wrong = await postOpenAi(stub, chat('hi'), { headers: { authorization: 'Bearer nope' } });
			expect(wrong.status).toBe(401);
			expect(await wrong.json()).toEqual({
				error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
			});

			const notJson = await postOpenAi(stub, undefined, { body: '{"model":' });
			expect(notJson.status).toBe(400);
			expect((await notJson.json()).error.type).toBe('invalid_request_error');
			const noMessages = await postOpenAi(stub, { model: 'gpt-4o-mini' });
			expect(noMessages.status).toBe(400);

			expect(stub.requests).toHaveLength(4);
			expect(stub.requests[2].body).toBe('{"model":');
			expect(stub.upstreamCalls()).toBe(4);
		});

		it('reports cachedTokens and checks the configured key', async () => {
			const other = await startLlmStub({ apiKey: 'other-key', cachedTokens: 12 });
			try {
				const rejected = await postOpenAi(other, chat('hi'));
				expect(rejected.status).toBe(401);
				const accepted = await postOpenAi(other, chat('hi'), { headers: { authorization: 'Bearer other-key' } });
				expect((await accepted.json()).usage.prompt_tokens_details).toEqual({ cached_tokens: 12 });
			} finally {
				await other.close();
			}
		});
	});

	describe('markers', () => {
		it('[[status:500]] answers 500 with an OpenAI error body', async () => {
			const response = await postOpenAi(stub, chat('boom [[status:500]]'));
			expect(response.status).toBe(500);
			expect((await response.json()).error).toMatchObject({ type: 'server_error', message: expect.any(String) });
		});

		it('[[status:429]] answers 429 with retry-after: 1', async () => {
			const response = await postOpenAi(stub, chat('slow down [[status:429]]'));
			expect(response.status).toBe(429);
			expect(response.headers.get('retry-after')).toBe('1');
			expect((await response.json()).error.code).toBe('rate_limit_exceeded');
		});

		it('[[malformed]] answers 200 with a body that is not JSON', async () => {
			const response = await postOpenAi(stub, chat('[[malformed]]'));
			expect(response.status).toBe(200);
			const text = await response.text();
			expect(() => JSON.parse(text)).toThrow();
		});

		it('[[invalid-json]] answers a valid response whose content is not JSON, even in JSON mode', async () => {
			const response = await postOpenAi(stub, chat('[[invalid-json]]', { response_format: { type: 'json_object' } }));
			const json = await response.json();
			expect(json.choices[0].finish_reason).toBe('stop');
			expect(() => JSON.parse(json.choices[0].message.content)).toThrow();
		});

		it('[[length]] cuts the answer and reports finish_reason length', async () => {
			const json = await (await postOpenAi(stub, chat('a long story [[length]]'))).json();
			expect(json.choices[0].finish_reason).toBe('length');
			expect('echo: a long story [[length]]'.startsWith(json.choices[0].message.content)).toBe(true);
			expect(json.choices[0].message.content.length).toBeLessThan('echo: a long story [[length]]'.length);
		});

		it('[[hang]] never answers; close() still resolves and ends the waiting requests', async () => {
			const hanging = await startLlmStub();
			try {
				const aborted = postOpenAi(hanging, chat('[[hang]]'), { signal: AbortSignal.timeout(200) });
				await expect(aborted).rejects.toMatchObject({ name: 'TimeoutError' });
				const stillWaiting = postOpenAi(hanging, chat('[[hang]]'));
				const outcome = stillWaiting.then(
					() => 'answered',
					() => 'failed',
				);
				while (hanging.upstreamCalls() < 2) await new Promise((resolve) => setTimeout(resolve, 5));
				await hanging.close();
				expect(await outcome).toBe('failed');
				expect(hanging.upstreamCalls()).toBe(2);
			} finally {
				// Idempotent: also frees the port when an assertion above failed.
				await hanging.close();
			}
		});
	});

	describe('scripted replies', () => {
		it('are consumed in order before the default behaviour, markers included', async () => {
			const quota = openAiErrorBody('You exceeded your current quota', 'insufficient_quota', 'insufficient_quota');
			stub.enqueue({ status: 503 }, { status: 429, body: quota }, { status: 200, body: { scripted: true } });
			stub.enqueue({ status: 200, rawBody: 'plain text', headers: { 'Content-Type': 'text/plain', 'x-extra': 'yes' } });

			const unavailable = await postOpenAi(stub, chat('one [[status:500]]'));
			expect(unavailable.status).toBe(503);
			expect((await unavailable.json()).error.type).toBe('server_error');
			const overQuota = await postOpenAi(stub, chat('two'));
			expect(overQuota.status).toBe(429);
			expect(overQuota.headers.get('retry-after')).toBeNull();
			expect(await overQuota.json()).toEqual(quota);
			expect(await (await postOpenAi(stub, chat('three'))).json()).toEqual({ scripted: true });
			const raw = await postOpenAi(stub, chat('four'));
			expect(raw.headers.get('content-type')).toBe('text/plain');
			expect(raw.headers.get('x-extra')).toBe('yes');
			expect(await raw.text()).toBe('plain text');

			expect((await (await postOpenAi(stub, chat('five'))).json()).choices[0].message.content).toBe('echo: five');
		});

		it('without a body, a 2xx reply is the usual echo', async () => {
			stub.enqueue({ status: 200 });
			const json = await (await postOpenAi(stub, chat('scripted [[status:500]]'))).json();
			expect(json.choices[0].message.content).toBe('echo: scripted [[status:500]]');
		});

		it('are not consumed by requests that fail auth', async () => {
			stub.enqueue({ status: 418 });
			expect((await postOpenAi(stub, chat('x'), { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
			expect((await postOpenAi(stub, chat('x'))).status).toBe(418);
		});

		it('delayMs replaces the latency for that reply', async () => {
			stub.enqueue({ status: 200, delayMs: 80 });
			const { result, elapsedMs } = await timed(() => postOpenAi(stub, chat('wait')));
			expect(result.status).toBe(200);
			expect(elapsedMs).toBeGreaterThanOrEqual(80);
		});

		it('reset() empties the queue, the requests and the counter', async () => {
			stub.enqueue({ status: 500 });
			await postOpenAi(stub, chat('a'));
			stub.enqueue({ status: 500 });
			const requests = stub.requests;
			stub.reset();
			expect(requests).toHaveLength(0);
			expect(stub.upstreamCalls()).toBe(0);
			expect((await postOpenAi(stub, chat('b'))).status).toBe(200);
		});
	});

	describe('counting and latency', () => {
		it('counts completion requests of both providers, and records every request', async () => {
			await postOpenAi(stub, chat('a'));
			await postOpenAi(stub, chat('b [[status:500]]'));
			await postAnthropic(stub, message('c'));
			await fetchStub(`${stub.openAiBaseUrl}/models`, { headers: { authorization: `Bearer ${KEY}` } });
			await fetchStub(`${stub.url}/v1/nothing-here`);
			expect(stub.upstreamCalls()).toBe(3);
			expect(stub.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
				'POST /v1/chat/completions',
				'POST /v1/chat/completions',
				'POST /v1/messages',
				'GET /v1/models',
				'GET /v1/nothing-here',
			]);
		});

		it('waits at least the latency before each completion reply', async () => {
			stub.setLatency(60);
			const { result, elapsedMs } = await timed(() => postOpenAi(stub, chat('slow')));
			expect(result.status).toBe(200);
			expect(elapsedMs).toBeGreaterThanOrEqual(60);
			const anthropic = await timed(() => postAnthropic(stub, message('slow')));
			expect(anthropic.elapsedMs).toBeGreaterThanOrEqual(60);
		});

		it('serves concurrent requests, each with its own answer', async () => {
			stub.setLatency(20);
			const prompts = Array.from({ length: 50 }, (_, index) => `prompt ${index}`);
			const answers = await Promise.all(
				prompts.map(async (prompt) => (await (await postOpenAi(stub, chat(prompt))).json()).choices[0].message.content),
			);
			expect(answers).toEqual(prompts.map((prompt) => `echo: ${prompt}`));
			expect(stub.upstreamCalls()).toBe(50);
		});
	});

	describe('Anthropic messages', () => {
		it('echoes with Anthropic usage and stop_reason', async () => {
			const response = await postAnthropic(stub, message('hello', { system: 'Be brief.' }));
			expect(response.status).toBe(200);
			const json = await response.json();
			expect(json).toMatchObject({
				type: 'message',
				role: 'assistant',
				model: 'claude-3-5-haiku-latest',
				content: [{ type: 'text', text: 'echo: hello' }],
				stop_reason: 'end_turn',
				// 'Be brief.' -> 3 tokens, 'hello' -> 2, 'echo: hello' -> 3.
				usage: { input_tokens: 5, output_tokens: 3, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
			});
			expect(json.id).toMatch(/^msg_/);
		});

		it('requires x-api-key, anthropic-version and max_tokens, with errors in Anthropic shape', async () => {
			const wrongKey = await postAnthropic(stub, message('hi'), { 'x-api-key': 'nope' });
			expect(wrongKey.status).toBe(401);
			expect(await wrongKey.json()).toEqual({ type: 'error', error: { type: 'authentication_error', message: expect.any(String) } });

			const noVersion = await fetchStub(`${stub.anthropicBaseUrl}/v1/messages`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-api-key': KEY },
				body: JSON.stringify(message('hi')),
			});
			expect(noVersion.status).toBe(400);
			expect((await noVersion.json()).error.type).toBe('invalid_request_error');

			const noMaxTokens = await postAnthropic(stub, { model: 'claude-3-5-haiku-latest', messages: [{ role: 'user', content: 'hi' }] });
			expect(noMaxTokens.status).toBe(400);
		});

		it('applies the markers in Anthropic shape', async () => {
			const limited = await postAnthropic(stub, message('[[status:429]]'));
			expect(limited.status).toBe(429);
			expect(limited.headers.get('retry-after')).toBe('1');
			expect((await limited.json()).error.type).toBe('rate_limit_error');
			const overloaded = await postAnthropic(stub, message('[[status:529]]'));
			expect((await overloaded.json()).error.type).toBe('overloaded_error');
			const cut = await (await postAnthropic(stub, message([{ type: 'text', text: 'story [[length]]' }]))).json();
			expect(cut.stop_reason).toBe('max_tokens');
		});

		it('answers JSON when the system prompt asks for JSON', async () => {
			const json = await (await postAnthropic(stub, message('data', { system: 'Answer with a JSON object only.' }))).json();
			expect(JSON.parse(json.content[0].text)).toEqual({ echo: 'data' });
		});

		it('writes a cache_control system prompt to the cache once, then reads it', async () => {
			const system = [{ type: 'text', text: 'x'.repeat(400), cache_control: { type: 'ephemeral' } }];
			const first = (await (await postAnthropic(stub, message('hi', { system }))).json()).usage;
			expect(first).toEqual({ input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 100 });
			const second = (await (await postAnthropic(stub, message('hi', { system }))).json()).usage;
			expect(second).toEqual({ input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 100, cache_creation_input_tokens: 0 });

			const otherSystem = [{ type: 'text', text: 'y'.repeat(40), cache_control: { type: 'ephemeral' } }];
			const third = (await (await postAnthropic(stub, message('hi', { system: otherSystem }))).json()).usage;
			expect(third).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 10 });
			const uncached = (await (await postAnthropic(stub, message('hi', { system: 'x'.repeat(400) }))).json()).usage;
			expect(uncached).toMatchObject({ input_tokens: 101, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
		});
	});

	describe('models and other routes', () => {
		it('lists models for either provider, checking whichever key header is sent', async () => {
			const openAi = await fetchStub(`${stub.openAiBaseUrl}/models`, { headers: { authorization: `Bearer ${KEY}` } });
			expect(openAi.status).toBe(200);
			expect((await openAi.json()).data).toContainEqual(expect.objectContaining({ id: 'gpt-4o-mini', object: 'model' }));
			const anthropic = await fetchStub(`${stub.anthropicBaseUrl}/v1/models`, {
				headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
			});
			expect(anthropic.status).toBe(200);

			const wrongBearer = await fetchStub(`${stub.openAiBaseUrl}/models`, { headers: { authorization: 'Bearer nope' } });
			expect(wrongBearer.status).toBe(401);
			expect((await wrongBearer.json()).error.code).toBe('invalid_api_key');
			const wrongApiKey = await fetchStub(`${stub.openAiBaseUrl}/models`, { headers: { 'x-api-key': 'nope' } });
			expect(wrongApiKey.status).toBe(401);
			expect((await wrongApiKey.json()).type).toBe('error');
		});

		it('answers unknown routes with 404 JSON', async () => {
			const response = await fetchStub(`${stub.url}/v2/whatever`, { method: 'POST', body: '{}' });
			expect(response.status).toBe(404);
			expect((await response.json()).error.message).toContain('/v2/whatever');
		});

		it('reports its counters at /_stub/stats without recording that request', async () => {
			await postOpenAi(stub, chat('a'));
			const stats = await (await fetchStub(`${stub.url}/_stub/stats`)).json();
			expect(stats).toEqual({ upstreamCalls: 1, requests: 1, toolCalls: 0, ...NO_BATCHES });
			expect(stub.requests).toHaveLength(1);
		});
	});

	describe('tool calling', () => {
		describe('OpenAI', () => {
			it('answers a scripted prompt with a tool call, then with the tool result once it is in', async () => {
				stub.script({ prompt: 'What is 2+3?', call: { name: 'calculator', arguments: { a: 2, b: 3 } } });
				const first = await (await postOpenAi(stub, chat('What is 2+3?', { tools: [CALCULATOR_OPENAI] }))).json();
				expect(first.choices[0]).toEqual({
					index: 0,
					message: {
						role: 'assistant',
						content: null,
						tool_calls: [{ id: expect.stringMatching(/^call_[0-9a-f]{24}$/), type: 'function', function: { name: 'calculator', arguments: '{"a":2,"b":3}' } }],
					},
					finish_reason: 'tool_calls',
				});
				expect(first.usage).toEqual({
					prompt_tokens: expect.any(Number),
					completion_tokens: Math.ceil('calculator{"a":2,"b":3}'.length / 4),
					total_tokens: expect.any(Number),
					prompt_tokens_details: { cached_tokens: 0 },
				});
				// The tool definitions count as prompt tokens, as they do with the real API.
				expect(first.usage.prompt_tokens).toBeGreaterThan(Math.ceil('What is 2+3?'.length / 4));
				expect(stub.toolCallsIssued()).toBe(1);

				const again = await (await postOpenAi(stub, chat('What is 2+3?', { tools: [CALCULATOR_OPENAI] }))).json();
				expect(again.choices[0].message.tool_calls[0].id).toBe(first.choices[0].message.tool_calls[0].id);

				const second = await (await postOpenAi(stub, openAiFollowUp('What is 2+3?', first.choices[0].message.tool_calls, ['[{"response":"5"}]']))).json();
				expect(second.choices[0]).toEqual({ index: 0, message: { role: 'assistant', content: 'answer: [{"response":"5"}]' }, finish_reason: 'stop' });
				expect(stub.toolCallsIssued()).toBe(2);
				expect(stub.upstreamCalls()).toBe(3);
			});

			it('echoes when the request declares no tools, or when no script or marker applies', async () => {
				stub.script({ prompt: 'What is 2+3?', call: { name: 'calculator' } });
				const noTools = await (await postOpenAi(stub, chat('What is 2+3?'))).json();
				expect(noTools.choices[0]).toMatchObject({ message: { content: 'echo: What is 2+3?' }, finish_reason: 'stop' });
				const unscripted = await (await postOpenAi(stub, chat('Hello', { tools: [CALCULATOR_OPENAI] }))).json();
				expect(unscripted.choices[0]).toMatchObject({ message: { content: 'echo: Hello' }, finish_reason: 'stop' });
				const none = await (await postOpenAi(stub, chat('What is 2+3?', { tools: [CALCULATOR_OPENAI], tool_choice: 'none' }))).json();
				expect(none.choices[0].message.content).toBe('echo: What is 2+3?');
				expect(stub.toolCallsIssued()).toBe(0);
			});

			it('[[tool:NAME {json}]] markers call tools without a script, several in parallel', async () => {
				const prompt = 'Sum [[tool:calculator {"a":1,"b":2}]] and [[tool:calculator {"a":3,"b":4}]]';
				const first = await (await postOpenAi(stub, chat(prompt, { tools: [CALCULATOR_OPENAI] }))).json();
				const calls = first.choices[0].message.tool_calls;
				expect(calls.map((call: any) => call.function.arguments)).toEqual(['{"a":1,"b":2}', '{"a":3,"b":4}']);
				expect(new Set(calls.map((call: any) => call.id)).size).toBe(2);
				const second = await (await postOpenAi(stub, openAiFollowUp(prompt, calls, ['3', '7']))).json();
				expect(second.choices[0].message.content).toBe('answer: 3\n7');

				const noArguments = await (await postOpenAi(stub, chat('[[tool:calculator]]', { tools: [CALCULATOR_OPENAI] }))).json();
				expect(noArguments.choices[0].message.tool_calls[0].function.arguments).toBe('{}');
			});

			it('rejects what a real API or a broken test setup would: unanswered calls, stray results, unknown tools, bad marker JSON', async () => {
				const call = { id: 'call_1', type: 'function', function: { name: 'calculator', arguments: '{}' } };
				const unanswered = await postOpenAi(stub, chat('x', { tools: [CALCULATOR_OPENAI], messages: [
					{ role: 'user', content: 'x' },
					{ role: 'assistant', content: null, tool_calls: [call] },
				] }));
				expect(unanswered.status).toBe(400);
				expect((await unanswered.json()).error.message).toContain('call_1');
				const stray = await postOpenAi(stub, chat('x', { messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'call_9', content: '1' }] }));
				expect(stray.status).toBe(400);
				const unknown = await postOpenAi(stub, chat('[[tool:weather]]', { tools: [CALCULATOR_OPENAI] }));
				expect(unknown.status).toBe(400);
				expect((await unknown.json()).error.message).toBe(`tools: the scripted tool "weather" is not among the request's tools (calculator)`);
				const badJson = await postOpenAi(stub, chat('[[tool:calculator {a:1}]]', { tools: [CALCULATOR_OPENAI] }));
				expect(badJson.status).toBe(400);
				expect((await badJson.json()).error.message).toContain('not valid JSON');
				expect(stub.toolCallsIssued()).toBe(0);
			});
		});

		describe('Anthropic', () => {
			it('answers a scripted prompt with tool_use, then with the tool_result once it is in', async () => {
				stub.script({ prompt: 'What is 2+3?', call: { name: 'calculator', arguments: { a: 2, b: 3 } } });
				const first = await (await postAnthropic(stub, message('What is 2+3?', { tools: [CALCULATOR_ANTHROPIC] }))).json();
				expect(first).toMatchObject({
					type: 'message',
					role: 'assistant',
					content: [{ type: 'tool_use', id: expect.stringMatching(/^toolu_01[0-9a-f]{22}$/), name: 'calculator', input: { a: 2, b: 3 } }],
					stop_reason: 'tool_use',
					usage: { output_tokens: Math.ceil('calculator{"a":2,"b":3}'.length / 4) },
				});
				expect(first.content).toHaveLength(1);
				expect(first.usage.input_tokens).toBeGreaterThan(0);

				const second = await (await postAnthropic(stub, anthropicFollowUp('What is 2+3?', first.content, ['5']))).json();
				expect(second).toMatchObject({ content: [{ type: 'text', text: 'answer: 5' }], stop_reason: 'end_turn' });
				expect(stub.toolCallsIssued()).toBe(1);
			});

			it('checks that every tool_use has its tool_result, and honours tool_choice none', async () => {
				const use = { type: 'tool_use', id: 'toolu_1', name: 'calculator', input: {} };
				const unanswered = await postAnthropic(stub, message('x', { tools: [CALCULATOR_ANTHROPIC], messages: [
					{ role: 'user', content: 'x' },
					{ role: 'assistant', content: [use] },
					{ role: 'user', content: 'and?' },
				] }));
				expect(unanswered.status).toBe(400);
				expect((await unanswered.json()).error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('toolu_1') });
				const none = await (await postAnthropic(stub, message('[[tool:calculator]]', { tools: [CALCULATOR_ANTHROPIC], tool_choice: { type: 'none' } }))).json();
				expect(none.content).toEqual([{ type: 'text', text: 'echo: [[tool:calculator]]' }]);
			});
		});

		describe('scripts', () => {
			it('match by prompt, substring or pattern, the first added winning; turns run in order; answer is a template', async () => {
				stub.script(
					{ promptIncludes: 'weather', call: { name: 'calculator', arguments: { from: 'includes' } } },
					{ promptPattern: '^sum \\d+$', turns: [[{ name: 'calculator', arguments: { step: 1 } }], [{ name: 'calculator', arguments: { step: 2 } }]], answer: 'total is {results}!' },
					{ prompt: 'weather today', call: { name: 'calculator', arguments: { from: 'exact' } } },
				);
				const weather = await (await postOpenAi(stub, chat('weather today', { tools: [CALCULATOR_OPENAI] }))).json();
				expect(JSON.parse(weather.choices[0].message.tool_calls[0].function.arguments)).toEqual({ from: 'includes' });
				const unmatched = await (await postOpenAi(stub, chat('sum 12 please', { tools: [CALCULATOR_OPENAI] }))).json();
				expect(unmatched.choices[0].message.content).toBe('echo: sum 12 please');

				const turn1 = (await (await postAnthropic(stub, message('sum 12', { tools: [CALCULATOR_ANTHROPIC] }))).json()).content;
				expect(turn1[0].input).toEqual({ step: 1 });
				const afterOne = anthropicFollowUp('sum 12', turn1, ['10']);
				const turn2 = (await (await postAnthropic(stub, afterOne)).json()).content;
				expect(turn2[0]).toMatchObject({ type: 'tool_use', input: { step: 2 } });
				expect(turn2[0].id).not.toBe(turn1[0].id);
				const afterTwo = {
					...afterOne,
					messages: [
						...afterOne.messages,
						{ role: 'assistant', content: turn2 },
						{ role: 'user', content: [{ type: 'tool_result', tool_use_id: turn2[0].id, content: '2' }] },
					],
				};
				const final = await (await postAnthropic(stub, afterTwo)).json();
				expect(final.content).toEqual([{ type: 'text', text: 'total is 10\n2!' }]);
				expect(stub.toolCallsIssued()).toBe(3);
			});

			it('reject malformed scripts with a clear message, and reset() clears them', () => {
				expect(() => stub.script({ call: { name: 'calculator' } })).toThrow('exactly one of prompt, promptIncludes or promptPattern');
				expect(() => stub.script({ prompt: 'x' })).toThrow('exactly one of call or turns');
				expect(() => stub.script({ promptPattern: '(', call: { name: 'calculator' } })).toThrow('promptPattern is not a valid regular expression');
				expect(() => stub.script({ prompt: 'x', turns: [[]] })).toThrow('turns must be a list of non-empty lists');
				stub.script({ prompt: 'x', call: { name: 'calculator' } });
				stub.reset();
				return postOpenAi(stub, chat('x', { tools: [CALCULATOR_OPENAI] })).then(async (response) => {
					expect((await response.json()).choices[0].message.content).toBe('echo: x');
				});
			});

			it('can be added and cleared over HTTP, without being recorded as requests', async () => {
				const post = (body: string) => fetchStub(`${stub.url}/_stub/script`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
				const added = await post(JSON.stringify([{ prompt: 'a', call: { name: 'calculator' } }, { prompt: 'b', call: { name: 'calculator' } }]));
				expect(added.status).toBe(200);
				expect(await added.json()).toEqual({ scripts: 2 });
				const invalid = await post(JSON.stringify({ prompt: 'c' }));
				expect(invalid.status).toBe(400);
				expect((await invalid.json()).error.message).toContain('exactly one of call or turns');
				expect((await post('{not json')).status).toBe(400);

				expect((await (await postOpenAi(stub, chat('b', { tools: [CALCULATOR_OPENAI] }))).json()).choices[0].finish_reason).toBe('tool_calls');
				const cleared = await fetchStub(`${stub.url}/_stub/script`, { method: 'DELETE' });
				expect(await cleared.json()).toEqual({ scripts: 0 });
				expect((await (await postOpenAi(stub, chat('b', { tools: [CALCULATOR_OPENAI] }))).json()).choices[0].finish_reason).toBe('stop');
				expect(stub.requests).toHaveLength(2);
				expect(await (await fetchStub(`${stub.url}/_stub/stats`)).json()).toEqual({ upstreamCalls: 2, requests: 2, toolCalls: 1, ...NO_BATCHES });
			});
		});
	});

	describe('streaming', () => {
		describe('OpenAI', () => {
			it('streams the echo as content pieces, a finish chunk, usage when asked, then [DONE]', async () => {
				const prompt = 'tell me a story about streams';
				const plain = await (await postOpenAi(stub, chat(prompt))).json();
				const response = await postOpenAi(stub, chat(prompt, { stream: true, stream_options: { include_usage: true } }));
				expect(response.status).toBe(200);
				expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
				const { text, reads } = await readStream(response);
				const events = parseSse(text);
				expect(events.at(-1)?.data).toBe('[DONE]');
				const chunks = events.slice(0, -1).map((event) => event.data);
				for (const chunk of chunks) {
					expect(chunk).toMatchObject({ id: expect.stringMatching(/^chatcmpl-/), object: 'chat.completion.chunk', model: 'gpt-4o-mini', created: expect.any(Number) });
				}
				expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
				const pieces = chunks.flatMap((chunk) => chunk.choices.map((choice: any) => choice.delta.content ?? ''));
				expect(pieces.filter((piece) => piece !== '').length).toBeGreaterThan(1);
				expect(pieces.join('')).toBe(plain.choices[0].message.content);
				expect(chunks.at(-2).choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });
				expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
				expect(chunks.at(-1)).toMatchObject({ choices: [], usage: plain.usage });
				// The gap between frames makes the consumer receive them in several reads.
				expect(reads).toBeGreaterThan(1);

				const withoutUsage = parseSse((await readStream(await postOpenAi(stub, chat(prompt, { stream: true })))).text);
				expect(withoutUsage.slice(0, -1).some((event) => 'usage' in event.data)).toBe(false);
				expect(stub.upstreamCalls()).toBe(3);
			});

			it('streams tool calls as delta.tool_calls that LangChain merges into the same call as the JSON answer', async () => {
				const { AIMessageChunk } = await import('@langchain/core/messages');
				const prompt = 'two sums [[tool:calculator {"a":1,"b":2}]] [[tool:calculator {"a":30,"b":40}]]';
				const plain = await (await postOpenAi(stub, chat(prompt, { tools: [CALCULATOR_OPENAI] }))).json();
				const events = parseSse((await readStream(await postOpenAi(stub, chat(prompt, { tools: [CALCULATOR_OPENAI], stream: true })))).text);
				const deltas = events.slice(0, -1).map((event) => event.data.choices[0]);
				expect(deltas.at(-1).finish_reason).toBe('tool_calls');
				const toolDeltas = deltas.flatMap((choice) => choice.delta.tool_calls ?? []);
				// id and name only on a call's first delta; argument pieces after it.
				expect(toolDeltas.filter((delta: any) => delta.id !== undefined)).toHaveLength(2);
				expect(toolDeltas.filter((delta: any) => delta.index === 1 && delta.id === undefined).length).toBeGreaterThan(1);

				const merged = toolDeltas
					.map((delta: any) => new AIMessageChunk({ content: '', tool_call_chunks: [{ index: delta.index, id: delta.id, name: delta.function?.name, args: delta.function?.arguments }] }))
					.reduce((left: any, right: any) => left.concat(right));
				expect(merged.tool_calls).toEqual(
					plain.choices[0].message.tool_calls.map((call: any) => ({ type: 'tool_call', id: call.id, name: call.function.name, args: JSON.parse(call.function.arguments) })),
				);
				// Two calls in the JSON answer, two in the streamed one.
				expect(stub.toolCallsIssued()).toBe(4);
			});

			it('answers errors as plain JSON before any stream, and streams a scripted 2xx without a body', async () => {
				const limited = await postOpenAi(stub, chat('[[status:429]]', { stream: true }));
				expect(limited.status).toBe(429);
				expect(limited.headers.get('content-type')).toBe('application/json');
				expect(limited.headers.get('retry-after')).toBe('1');
				expect((await limited.json()).error.code).toBe('rate_limit_exceeded');

				stub.enqueue({ status: 200, headers: { 'x-request-id': 'r1' } });
				const scripted = await postOpenAi(stub, chat('queued', { stream: true }));
				expect(scripted.headers.get('x-request-id')).toBe('r1');
				const pieces = parseSse((await readStream(scripted)).text).slice(0, -1).map((event) => event.data.choices[0].delta.content ?? '');
				expect(pieces.join('')).toBe('echo: queued');
			});

			it('[[malformed]] sends part of the stream, then drops the connection', async () => {
				const { text, failed } = await readStream(await postOpenAi(stub, chat('cut me [[malformed]]', { stream: true })));
				expect(failed).toBe(true);
				expect(text).toContain('chat.completion.chunk');
				expect(text).not.toContain('[DONE]');
			});
		});

		describe('Anthropic', () => {
			it('streams text as message_start, content_block_start/delta/stop, message_delta and message_stop', async () => {
				const prompt = 'tell me about anthropic streams';
				const plain = await (await postAnthropic(stub, message(prompt))).json();
				const response = await postAnthropic(stub, message(prompt, { stream: true }));
				expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
				const events = parseSse((await readStream(response)).text);
				for (const event of events) expect(event.event).toBe(event.data.type);
				const types = events.map((event) => event.event);
				expect(types[0]).toBe('message_start');
				expect(types.slice(-4)).toEqual(['content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
				expect(events[0].data.message).toMatchObject({ id: plain.id.replace(/\d+$/, (n: string) => String(Number(n) + 1)), role: 'assistant', content: [], stop_reason: null });
				expect(events[0].data.message.usage).toEqual({ ...plain.usage, output_tokens: 1 });
				expect(events[1].data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
				const deltas = events.filter((event) => event.event === 'content_block_delta').map((event) => event.data.delta);
				expect(deltas.length).toBeGreaterThan(1);
				expect(deltas.every((delta) => delta.type === 'text_delta')).toBe(true);
				expect(deltas.map((delta) => delta.text).join('')).toBe('echo: tell me about anthropic streams');
				expect(events.at(-2)?.data).toEqual({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: plain.usage.output_tokens } });
			});

			it('streams tool_use as input_json_delta pieces, then the final answer after the tool_result', async () => {
				stub.script({ promptIncludes: 'add', call: { name: 'calculator', arguments: { a: 20, b: 22 } } });
				const events = parseSse((await readStream(await postAnthropic(stub, message('add them', { tools: [CALCULATOR_ANTHROPIC], stream: true })))).text);
				const start = events.find((event) => event.event === 'content_block_start')?.data;
				expect(start).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: expect.stringMatching(/^toolu_01/), name: 'calculator', input: {} } });
				const pieces = events.filter((event) => event.event === 'content_block_delta').map((event) => event.data.delta);
				expect(pieces.length).toBeGreaterThan(1);
				expect(pieces.every((delta) => delta.type === 'input_json_delta')).toBe(true);
				expect(JSON.parse(pieces.map((delta) => delta.partial_json).join(''))).toEqual({ a: 20, b: 22 });
				expect(events.find((event) => event.event === 'message_delta')?.data.delta.stop_reason).toBe('tool_use');

				const use = { type: 'tool_use', id: start.content_block.id, name: 'calculator', input: { a: 20, b: 22 } };
				const final = parseSse((await readStream(await postAnthropic(stub, anthropicFollowUp('add them', [use], ['42'], { stream: true })))).text);
				const text = final.filter((event) => event.event === 'content_block_delta').map((event) => event.data.delta.text).join('');
				expect(text).toBe('answer: 42');
				expect(stub.upstreamCalls()).toBe(2);
				expect(stub.toolCallsIssued()).toBe(1);
			});

			it('answers a 429 marker as JSON even when streaming is asked', async () => {
				const limited = await postAnthropic(stub, message('[[status:429]]', { stream: true }));
				expect(limited.status).toBe(429);
				expect(await limited.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: expect.any(String) } });
			});
		});

		it('spaces the frames by the stream gap', async () => {
			stub.setStreamGap(25);
			const { result, elapsedMs } = await timed(async () => parseSse((await readStream(await postOpenAi(stub, chat('slow stream', { stream: true })))).text));
			expect(elapsedMs).toBeGreaterThanOrEqual(25 * (result.length - 1) - 1);
		});
	});
});

/** The first line a child process prints, or its stderr if it exits before printing one. */
function firstLine(child: ChildProcess): Promise<string> {
	return new Promise((resolve, reject) => {
		let stdout = '';
		let stderr = '';
		child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		child.stdout?.on('data', (chunk: Buffer) => {
			stdout += chunk.toString('utf8');
			if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
		});
		child.once('exit', (code) => reject(new Error(`exited with ${code} before printing a line: ${stderr}`)));
	});
}

describe('LLM stub as a process (llmStubServer.ts)', () => {
	it('prints its URL as one JSON line, serves with the env settings and exits on SIGTERM', async () => {
		const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'llmStubServer.ts'), '--port', '0'], {
			env: { ...process.env, LLM_STUB_API_KEY: 'demo-key', LLM_STUB_LATENCY_MS: '30' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		try {
			const { url } = JSON.parse(await firstLine(child)) as { url: string };
			expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

			const rejected = await fetchStub(`${url}/v1/models`, { headers: { authorization: `Bearer ${KEY}` } });
			expect(rejected.status).toBe(401);
			const { result, elapsedMs } = await timed(() =>
				fetchStub(`${url}/v1/chat/completions`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', authorization: 'Bearer demo-key' },
					body: JSON.stringify(chat('from the demo')),
				}),
			);
			expect((await result.json()).choices[0].message.content).toBe('echo: from the demo');
			expect(elapsedMs).toBeGreaterThanOrEqual(30);
			expect(await (await fetchStub(`${url}/_stub/stats`)).json()).toEqual({ upstreamCalls: 1, requests: 2, toolCalls: 0, ...NO_BATCHES });
		} finally {
			if (child.exitCode === null) {
				const exited = once(child, 'exit');
				child.kill('SIGTERM');
				expect((await exited)[0]).toBe(0);
			}
		}
	}, 30_000);
});
