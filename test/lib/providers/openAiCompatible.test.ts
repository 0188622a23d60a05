import { buildHttpRequest, ProviderError, resolveEndpoint, type ChatRequest, type ProviderCredentialData } from '../../../lib/providers';
import { parseOpenAiError, parseOpenAiResponse } from '../../../lib/providers/openAiCompatible';

const credential: ProviderCredentialData = { provider: 'openAiCompatible', baseUrl: 'https://llm.example.test/v1', apiKey: 'sk-test-0123456789abcdef' };
const endpoint = resolveEndpoint(credential);
const endpointWith = (change: ProviderCredentialData) => resolveEndpoint({ ...credential, ...change });

const base: ChatRequest = {
	model: 'gpt-test',
	messages: [{ role: 'user', content: 'Hello' }],
	responseFormat: 'text',
};

describe('buildHttpRequest (OpenAI-compatible)', () => {
	it.each([
		['without a trailing slash', 'https://llm.example.test/v1'],
		['with a trailing slash', 'https://llm.example.test/v1/'],
		['with several trailing slashes', 'https://llm.example.test/v1//'],
	])('posts to {baseUrl}/chat/completions %s', (_label, baseUrl) => {
		expect(buildHttpRequest(base, endpointWith({ baseUrl })).url).toBe('https://llm.example.test/v1/chat/completions');
	});

	it('sends the system prompt as the first message, before the conversation', () => {
		const http = buildHttpRequest(
			{
				...base,
				system: 'Be brief.',
				messages: [
					{ role: 'user', content: 'Hi' },
					{ role: 'assistant', content: 'Hello!' },
					{ role: 'user', content: 'Bye' },
				],
			},
			endpoint,
		);
		expect(http.body.messages).toEqual([
			{ role: 'system', content: 'Be brief.' },
			{ role: 'user', content: 'Hi' },
			{ role: 'assistant', content: 'Hello!' },
			{ role: 'user', content: 'Bye' },
		]);
	});

	it('sends no system message when there is no system prompt', () => {
		expect(buildHttpRequest(base, endpoint).body).toEqual({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hello' }] });
	});

	it('maps every sampling parameter to its OpenAI field', () => {
		const http = buildHttpRequest(
			{ ...base, temperature: 0, maxTokens: 256, topP: 0.9, stop: ['END', '###'], seed: 42, responseFormat: 'json' },
			endpoint,
		);
		expect(http.body).toEqual({
			model: 'gpt-test',
			messages: [{ role: 'user', content: 'Hello' }],
			temperature: 0,
			max_tokens: 256,
			top_p: 0.9,
			stop: ['END', '###'],
			seed: 42,
			response_format: { type: 'json_object' },
		});
	});

	it('leaves out an empty stop list and the response format in text mode', () => {
		const body = buildHttpRequest({ ...base, stop: [] }, endpoint).body;
		expect(body).not.toHaveProperty('stop');
		expect(body).not.toHaveProperty('response_format');
	});

	it('merges extraBody last, so it can add fields and override mapped ones', () => {
		const http = buildHttpRequest(
			{ ...base, temperature: 0, maxTokens: 100, extraBody: { max_tokens: 999, tools: [{ type: 'function' }], reasoning_effort: 'low' } },
			endpoint,
		);
		expect(http.body).toMatchObject({ temperature: 0, max_tokens: 999, tools: [{ type: 'function' }], reasoning_effort: 'low' });
	});

	it('authorises with a bearer token and sends JSON', () => {
		expect(buildHttpRequest(base, endpoint).headers).toEqual({
			'content-type': 'application/json',
			authorization: 'Bearer sk-test-0123456789abcdef',
		});
	});

	it('adds the organization header and the credential extra header', () => {
		const headers = buildHttpRequest(base, endpointWith({ organization: 'org-42', headerName: 'x-gateway-tenant', headerValue: 'acme' })).headers;
		expect(headers).toEqual({
			'content-type': 'application/json',
			authorization: 'Bearer sk-test-0123456789abcdef',
			'openai-organization': 'org-42',
			'x-gateway-tenant': 'acme',
		});
	});

	it('ignores an extra header without a name', () => {
		const headers = buildHttpRequest(base, endpointWith({ headerName: '', headerValue: 'x' })).headers;
		expect(Object.keys(headers)).toEqual(['content-type', 'authorization']);
	});
});

describe('parseOpenAiResponse', () => {
	const response = (overrides: Record<string, unknown> = {}) => ({
		id: 'chatcmpl-1',
		choices: [{ index: 0, message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' }],
		usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
		...overrides,
	});

	it('reads the text, finish reason and usage of the first choice', () => {
		const body = response();
		expect(parseOpenAiResponse(body)).toEqual({
			text: 'Paris.',
			finishReason: 'stop',
			usage: { input: 12, output: 3, cachedInput: 0, cacheWrite: 0 },
			hasToolCalls: false,
			toolCalls: [],
			raw: body,
		});
	});

	it('reads cached prompt tokens, which are included in the input count', () => {
		const body = response({ usage: { prompt_tokens: 2000, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 1536 } } });
		expect(parseOpenAiResponse(body).usage).toEqual({ input: 2000, output: 10, cachedInput: 1536, cacheWrite: 0 });
	});

	it.each(['stop', 'length', 'content_filter', 'tool_calls'])('passes the finish reason %s through', (reason) => {
		const body = response({ choices: [{ message: { role: 'assistant', content: 'x' }, finish_reason: reason }] });
		expect(parseOpenAiResponse(body).finishReason).toBe(reason);
	});

	it('gives a null finish reason and zero usage when the provider sends none', () => {
		const result = parseOpenAiResponse({ choices: [{ message: { role: 'assistant', content: 'x' } }] });
		expect(result.finishReason).toBeNull();
		expect(result.usage).toEqual({ input: 0, output: 0, cachedInput: 0, cacheWrite: 0 });
	});

	it('detects tool calls, whose message has no text', () => {
		const result = parseOpenAiResponse(
			response({
				choices: [
					{
						message: { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
						finish_reason: 'tool_calls',
					},
				],
			}),
		);
		expect(result.hasToolCalls).toBe(true);
		expect(result.text).toBe('');
		expect(result.finishReason).toBe('tool_calls');
	});

	it('does not count an empty tool call list as tool calls', () => {
		const result = parseOpenAiResponse(response({ choices: [{ message: { role: 'assistant', content: 'x', tool_calls: [] }, finish_reason: 'stop' }] }));
		expect(result.hasToolCalls).toBe(false);
	});

	it('joins the text parts of a content list', () => {
		const result = parseOpenAiResponse(
			response({ choices: [{ message: { role: 'assistant', content: [{ type: 'text', text: 'a' }, { type: 'refusal' }, { type: 'text', text: 'b' }] } }] }),
		);
		expect(result.text).toBe('a\nb');
	});

	it('ignores negative and non-numeric token counts', () => {
		const result = parseOpenAiResponse(response({ usage: { prompt_tokens: -5, completion_tokens: '7', prompt_tokens_details: { cached_tokens: null } } }));
		expect(result.usage).toEqual({ input: 0, output: 0, cachedInput: 0, cacheWrite: 0 });
	});

	it.each([
		['null', null],
		['a string', 'Paris.'],
		['an object without choices', { id: 'x' }],
		['an empty choice list', { choices: [] }],
		['a choice without a message', { choices: [{ finish_reason: 'stop' }] }],
	])('refuses %s as a malformed response', (_label, body) => {
		let error: unknown;
		try {
			parseOpenAiResponse(body);
		} catch (thrown) {
			error = thrown;
		}
		expect(error).toBeInstanceOf(ProviderError);
		expect(error).toMatchObject({ code: 'malformed_response', status: 200, retryable: false });
	});
});

describe('parseOpenAiError', () => {
	it('reads the message and code of an OpenAI error body', () => {
		const body = JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } });
		expect(parseOpenAiError(body)).toEqual({ message: 'Rate limit reached', code: 'rate_limit_exceeded' });
	});

	it('falls back to the error type when there is no code', () => {
		expect(parseOpenAiError(JSON.stringify({ error: { message: 'bad', type: 'invalid_request_error', code: null } }))).toEqual({
			message: 'bad',
			code: 'invalid_request_error',
		});
	});

	it('reads a top-level message, as some gateways send', () => {
		expect(parseOpenAiError(JSON.stringify({ message: 'model not found' }))).toEqual({ message: 'model not found' });
	});

	it('keeps the first 300 characters of a body that is not JSON', () => {
		expect(parseOpenAiError('<html>Bad Gateway</html>')).toEqual({ message: '<html>Bad Gateway</html>' });
		expect(parseOpenAiError('x'.repeat(1000)).message).toHaveLength(300);
		expect(parseOpenAiError('')).toEqual({ message: 'no error message' });
	});
});
