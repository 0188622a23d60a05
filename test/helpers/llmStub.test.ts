import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openAiErrorBody, startLlmStub, type LlmStub } from './llmStub';

const KEY = 'test-key';

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

describe('LLM stub', () => {
	let stub: LlmStub;

	beforeAll(async () => {
		stub = await startLlmStub();
	});
	afterAll(async () => await stub.close());
	beforeEach(() => {
		stub.reset();
		stub.setLatency(0);
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
			expect(stats).toEqual({ upstreamCalls: 1, requests: 1 });
			expect(stub.requests).toHaveLength(1);
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
			expect(await (await fetchStub(`${url}/_stub/stats`)).json()).toEqual({ upstreamCalls: 1, requests: 2 });
		} finally {
			if (child.exitCode === null) {
				const exited = once(child, 'exit');
				child.kill('SIGTERM');
				expect((await exited)[0]).toBe(0);
			}
		}
	}, 30_000);
});
