import { ProviderError, resolveEndpoint, sendChat, type ChatRequest, type FetchLike, type SendOptions } from '../../../lib/providers';
import { rejectionOf } from '../../helpers/thrownError';

const KEY = 'sk-test-9f8e7d6c5b4a3210';
const endpoint = resolveEndpoint({ provider: 'openAiCompatible', baseUrl: 'http://127.0.0.1:9/v1', apiKey: KEY });
const anthropicEndpoint = resolveEndpoint({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:9', apiKey: KEY });

const openAiRequest: ChatRequest = {
	model: 'gpt-test',
	system: 'Be brief.',
	messages: [{ role: 'user', content: 'Capital of France?' }],
	temperature: 0,
	responseFormat: 'text',
};

const okBody = {
	choices: [{ message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' }],
	usage: { prompt_tokens: 12, completion_tokens: 2 },
};

interface FakeReply {
	status: number;
	body: string;
	headers?: Record<string, string>;
}

type FetchCall = Parameters<FetchLike>[1] & { url: string };

/** A fetch that answers every request with `reply` and remembers what it was asked. */
function fakeFetch(reply: FakeReply | ((call: FetchCall) => FakeReply)): FetchLike & { calls: FetchCall[] } {
	const calls: FetchCall[] = [];
	const fetch = async (url: string, init: Parameters<FetchLike>[1]) => {
		const call = { url, ...init };
		calls.push(call);
		const { status, body, headers = {} } = typeof reply === 'function' ? reply(call) : reply;
		return { status, headers: { get: (name: string) => headers[name.toLowerCase()] ?? null }, text: async () => body };
	};
	return Object.assign(fetch, { calls });
}

/** A fetch that never answers: it rejects with the signal's reason once the signal aborts, as Node's fetch does. */
const hangingFetch: FetchLike = (_url, init) =>
	new Promise((_resolve, reject) => {
		if (init.signal.aborted) return reject(init.signal.reason);
		init.signal.addEventListener('abort', () => reject(init.signal.reason), { once: true });
	});

const failureOf = (promise: Promise<unknown>) => rejectionOf(ProviderError, promise);

const options = (fetch: FetchLike, extra: Partial<SendOptions> = {}): SendOptions => ({ timeoutMs: 0, fetch, ...extra });

describe('sendChat', () => {
	it('posts the built request as JSON and parses the answer', async () => {
		const fetch = fakeFetch({ status: 200, body: JSON.stringify(okBody) });
		const result = await sendChat(openAiRequest, endpoint, options(fetch));
		expect(result).toMatchObject({ text: 'Paris.', finishReason: 'stop', usage: { input: 12, output: 2 }, hasToolCalls: false });
		expect(fetch.calls).toHaveLength(1);
		const [call] = fetch.calls;
		expect(call.url).toBe('http://127.0.0.1:9/v1/chat/completions');
		expect(call.method).toBe('POST');
		expect(call.headers.authorization).toBe(`Bearer ${KEY}`);
		expect(JSON.parse(call.body ?? '')).toEqual({
			model: 'gpt-test',
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: 'Capital of France?' },
			],
			temperature: 0,
		});
		expect(call.signal).toBeInstanceOf(AbortSignal);
	});

	it('talks to Anthropic through its own adapter', async () => {
		const fetch = fakeFetch({
			status: 200,
			body: JSON.stringify({ content: [{ type: 'text', text: 'Paris.' }], stop_reason: 'max_tokens', usage: { input_tokens: 5, output_tokens: 1 } }),
		});
		const result = await sendChat(openAiRequest, anthropicEndpoint, options(fetch));
		expect(fetch.calls[0].url).toBe('http://127.0.0.1:9/v1/messages');
		expect(fetch.calls[0].headers['x-api-key']).toBe(KEY);
		expect(result).toMatchObject({ text: 'Paris.', finishReason: 'length' });
	});

	it('turns a 500 into a retryable server error with the provider message and code', async () => {
		const fetch = fakeFetch({ status: 500, body: JSON.stringify({ error: { message: 'The server had an error', type: 'server_error' } }) });
		const error = await failureOf(sendChat(openAiRequest, endpoint, options(fetch)));
		expect(error).toMatchObject({
			status: 500,
			code: 'server_error',
			providerMessage: 'The server had an error',
			errorClass: 'server',
			retryable: true,
			retryAfterMs: undefined,
		});
		expect(error.message).toBe('The AI provider returned HTTP 500: The server had an error (server_error)');
	});

	it('reads retry-after-ms on a 429', async () => {
		const fetch = fakeFetch({
			status: 429,
			body: JSON.stringify({ error: { message: 'Rate limit reached', code: 'rate_limit_exceeded' } }),
			headers: { 'retry-after-ms': '1500' },
		});
		const error = await failureOf(sendChat(openAiRequest, endpoint, options(fetch)));
		expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', errorClass: 'rate_limit', retryable: true, retryAfterMs: 1500 });
	});

	it('reads retry-after in seconds, and as an HTTP date relative to options.now', async () => {
		const seconds = fakeFetch({ status: 503, body: 'busy', headers: { 'retry-after': '2' } });
		expect((await failureOf(sendChat(openAiRequest, endpoint, options(seconds)))).retryAfterMs).toBe(2000);

		const now = Date.UTC(2026, 0, 1, 12, 0, 0);
		const date = fakeFetch({ status: 503, body: 'busy', headers: { 'retry-after': 'Thu, 01 Jan 2026 12:00:30 GMT' } });
		const error = await failureOf(sendChat(openAiRequest, endpoint, options(date, { now: () => now })));
		expect(error).toMatchObject({ status: 503, providerMessage: 'busy', errorClass: 'server', retryAfterMs: 30_000 });
	});

	it('does not retry a 429 that says the quota is used up', async () => {
		const fetch = fakeFetch({ status: 429, body: JSON.stringify({ error: { message: 'You exceeded your current quota', code: 'insufficient_quota' } }) });
		expect(await failureOf(sendChat(openAiRequest, endpoint, options(fetch)))).toMatchObject({ errorClass: 'client', retryable: false });
	});

	it.each([
		[400, 'client'],
		[401, 'auth'],
		[403, 'auth'],
		[404, 'client'],
	] as const)('does not retry a %i (%s)', async (status, errorClass) => {
		const fetch = fakeFetch({ status, body: JSON.stringify({ error: { message: 'no' } }) });
		expect(await failureOf(sendChat(openAiRequest, endpoint, options(fetch)))).toMatchObject({ status, errorClass, retryable: false });
	});

	it('reads an Anthropic error body, and retries its 529 overloaded', async () => {
		const fetch = fakeFetch({ status: 529, body: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) });
		const error = await failureOf(sendChat(openAiRequest, anthropicEndpoint, options(fetch)));
		expect(error).toMatchObject({ status: 529, code: 'overloaded_error', providerMessage: 'Overloaded', errorClass: 'server', retryable: true });
	});

	it('redacts the API key from a 401 body that echoes it, in full or masked', async () => {
		const masked = `${KEY.slice(0, 8)}************${KEY.slice(-4)}`;
		const fetch = fakeFetch({
			status: 401,
			body: JSON.stringify({ error: { message: `Incorrect API key provided: ${masked}. Key ${KEY} is invalid.`, code: 'invalid_api_key' } }),
		});
		const error = await failureOf(sendChat(openAiRequest, endpoint, options(fetch)));
		expect(error.errorClass).toBe('auth');
		expect(error.providerMessage).toBe(`Incorrect API key provided: [redacted]************${KEY.slice(-4)}. Key [redacted] is invalid.`);
		for (const text of [error.message, error.providerMessage, JSON.stringify(error)]) {
			expect(text).not.toContain(KEY);
			expect(text).not.toContain(KEY.slice(0, 8));
		}
	});

	it('redacts the extra header value from an error that is not JSON', async () => {
		const headerValue = 'tenant-secret-123456';
		const fetch = fakeFetch({ status: 403, body: `forbidden for header ${headerValue}` });
		const error = await failureOf(sendChat(openAiRequest, resolveEndpoint({ provider: 'openAiCompatible', baseUrl: 'http://127.0.0.1:9/v1', apiKey: KEY, headerName: 'x-tenant', headerValue }), options(fetch)));
		expect(error.providerMessage).toBe('forbidden for header [redacted]');
	});

	it('turns a network failure into a retryable network error with its cause, without secrets', async () => {
		const fetch: FetchLike = async () => {
			throw Object.assign(new TypeError(`fetch failed for key ${KEY}`), { cause: { code: 'ECONNREFUSED' } });
		};
		const error = await failureOf(sendChat(openAiRequest, endpoint, options(fetch)));
		expect(error).toMatchObject({
			status: undefined,
			errorClass: 'network',
			retryable: true,
			providerMessage: 'fetch failed for key [redacted] (ECONNREFUSED)',
		});
		expect(error.message).toMatch(/^The AI provider could not be reached: /);
	});

	it('turns a failure while reading the body into a network error', async () => {
		const fetch: FetchLike = async () => ({
			status: 200,
			headers: { get: () => null },
			text: async () => {
				throw new Error('socket hang up');
			},
		});
		expect(await failureOf(sendChat(openAiRequest, endpoint, options(fetch)))).toMatchObject({ errorClass: 'network', retryable: true, providerMessage: 'socket hang up' });
	});

	it('gives up after timeoutMs with a retryable timeout error', async () => {
		const error = await failureOf(sendChat(openAiRequest, endpoint, options(hangingFetch, { timeoutMs: 5 })));
		expect(error).toMatchObject({ status: undefined, errorClass: 'timeout', retryable: true, providerMessage: 'no answer within 5 ms' });
	});

	it('stops when the execution is cancelled, and does not retry', async () => {
		const controller = new AbortController();
		const pending = sendChat(openAiRequest, endpoint, options(hangingFetch, { timeoutMs: 60_000, signal: controller.signal }));
		controller.abort();
		const error = await failureOf(pending);
		expect(error).toMatchObject({ errorClass: 'cancelled', retryable: false, providerMessage: 'the execution was cancelled' });
	});

	it('does not send when the execution was cancelled before the call', async () => {
		const controller = new AbortController();
		controller.abort();
		const error = await failureOf(sendChat(openAiRequest, endpoint, options(hangingFetch, { signal: controller.signal })));
		expect(error).toMatchObject({ errorClass: 'cancelled', retryable: false });
	});

	it('refuses a 200 whose body is not JSON as a malformed response', async () => {
		const fetch = fakeFetch({ status: 200, body: '<html>maintenance</html>' });
		const error = await failureOf(sendChat(openAiRequest, endpoint, options(fetch)));
		expect(error).toMatchObject({ status: 200, code: 'malformed_response', retryable: false, providerMessage: 'the response body is not JSON' });
	});

	it('refuses a 200 whose JSON has no answer as a malformed response', async () => {
		const fetch = fakeFetch({ status: 200, body: JSON.stringify({ choices: [] }) });
		expect(await failureOf(sendChat(openAiRequest, endpoint, options(fetch)))).toMatchObject({ code: 'malformed_response' });
	});
});
