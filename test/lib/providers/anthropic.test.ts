import {
	ANTHROPIC_DEFAULT_MAX_TOKENS,
	ANTHROPIC_VERSION,
	buildHttpRequest,
	ProviderError,
	resolveEndpoint,
	type ChatRequest,
	type ProviderCredentialData,
} from '../../../lib/providers';
import { parseAnthropicError, parseAnthropicResponse } from '../../../lib/providers/anthropic';

const credential: ProviderCredentialData = { provider: 'anthropic', baseUrl: 'https://api.anthropic.example.test', apiKey: 'sk-ant-test-0123456789' };
const endpoint = resolveEndpoint(credential);
const endpointWith = (change: ProviderCredentialData) => resolveEndpoint({ ...credential, ...change });

const base: ChatRequest = {
	model: 'claude-test',
	messages: [{ role: 'user', content: 'Hello' }],
	responseFormat: 'text',
};

describe('buildHttpRequest (Anthropic)', () => {
	it.each(['https://api.anthropic.example.test', 'https://api.anthropic.example.test/'])('posts to {baseUrl}/v1/messages (%s)', (baseUrl) => {
		expect(buildHttpRequest(base, endpointWith({ baseUrl })).url).toBe('https://api.anthropic.example.test/v1/messages');
	});

	it('sends the system prompt as `system`, not as a message', () => {
		const body = buildHttpRequest({ ...base, system: 'Be brief.' }, endpoint).body;
		expect(body.system).toBe('Be brief.');
		expect(body.messages).toEqual([{ role: 'user', content: 'Hello' }]);
	});

	it('moves system-role messages out of the conversation, after the system prompt', () => {
		const body = buildHttpRequest(
			{
				...base,
				system: 'Be brief.',
				messages: [
					{ role: 'system', content: 'Answer in French.' },
					{ role: 'user', content: 'Hi' },
					{ role: 'system', content: [{ type: 'text', text: 'No emojis.' }] },
					{ role: 'assistant', content: 'Bonjour' },
				],
			},
			endpoint,
		).body;
		expect(body.system).toBe('Be brief.\n\nAnswer in French.\n\nNo emojis.');
		expect(body.messages).toEqual([
			{ role: 'user', content: 'Hi' },
			{ role: 'assistant', content: 'Bonjour' },
		]);
	});

	it('sends no system field when there is no system text', () => {
		expect(buildHttpRequest(base, endpoint).body).not.toHaveProperty('system');
	});

	it('marks the system prompt with cache_control when asked to cache it', () => {
		const body = buildHttpRequest(
			{ ...base, system: 'Long instructions.', messages: [{ role: 'system', content: 'More.' }, ...base.messages], cacheSystemPrompt: true },
			endpoint,
		).body;
		expect(body.system).toEqual([{ type: 'text', text: 'Long instructions.\n\nMore.', cache_control: { type: 'ephemeral' } }]);
	});

	it('adds no cache_control block when there is nothing to cache', () => {
		expect(buildHttpRequest({ ...base, cacheSystemPrompt: true }, endpoint).body).not.toHaveProperty('system');
	});

	it(`asks for ${ANTHROPIC_DEFAULT_MAX_TOKENS} tokens when no maximum is given, since Anthropic requires one`, () => {
		expect(buildHttpRequest(base, endpoint).body.max_tokens).toBe(1024);
		expect(buildHttpRequest({ ...base, maxTokens: 50 }, endpoint).body.max_tokens).toBe(50);
	});

	it('maps sampling parameters to Anthropic fields; stop becomes stop_sequences', () => {
		const body = buildHttpRequest({ ...base, temperature: 0.2, topP: 0.8, stop: ['END'], seed: 7, responseFormat: 'json' }, endpoint).body;
		expect(body).toEqual({
			model: 'claude-test',
			messages: [{ role: 'user', content: 'Hello' }],
			max_tokens: 1024,
			temperature: 0.2,
			top_p: 0.8,
			stop_sequences: ['END'],
		});
	});

	it('leaves out an empty stop list', () => {
		expect(buildHttpRequest({ ...base, stop: [] }, endpoint).body).not.toHaveProperty('stop_sequences');
	});

	it('merges extraBody last', () => {
		const body = buildHttpRequest({ ...base, maxTokens: 10, extraBody: { max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 } } }, endpoint).body;
		expect(body).toMatchObject({ max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 } });
	});

	it('authorises with x-api-key and the API version, never with an Authorization header', () => {
		const headers = buildHttpRequest(base, endpointWith({ organization: 'org-ignored', headerName: 'anthropic-beta', headerValue: 'prompt-caching-2024-07-31' })).headers;
		expect(headers).toEqual({
			'content-type': 'application/json',
			'x-api-key': 'sk-ant-test-0123456789',
			'anthropic-version': ANTHROPIC_VERSION,
			'anthropic-beta': 'prompt-caching-2024-07-31',
		});
		expect(Object.keys(headers).map((name) => name.toLowerCase())).not.toContain('authorization');
		expect(ANTHROPIC_VERSION).toBe('2023-06-01');
	});
});

describe('parseAnthropicResponse', () => {
	const response = (overrides: Record<string, unknown> = {}) => ({
		id: 'msg_1',
		type: 'message',
		role: 'assistant',
		content: [{ type: 'text', text: 'Paris.' }],
		stop_reason: 'end_turn',
		usage: { input_tokens: 20, output_tokens: 4 },
		...overrides,
	});

	it('reads the text, stop reason and usage', () => {
		const body = response();
		expect(parseAnthropicResponse(body)).toEqual({
			text: 'Paris.',
			finishReason: 'stop',
			usage: { input: 20, output: 4, cachedInput: 0, cacheWrite: 0 },
			hasToolCalls: false,
			toolCalls: [],
			raw: body,
		});
	});

	it('joins the text blocks and skips the others', () => {
		const body = response({
			content: [{ type: 'thinking', thinking: 'hmm' }, { type: 'text', text: 'Hello, ' }, { type: 'text', text: 'world' }, 'junk'],
		});
		expect(parseAnthropicResponse(body).text).toBe('Hello, world');
	});

	it.each([
		['end_turn', 'stop'],
		['stop_sequence', 'stop'],
		['max_tokens', 'length'],
		['tool_use', 'tool_calls'],
		['refusal', 'refusal'],
	])('normalises the stop reason %s to %s', (stopReason, finishReason) => {
		expect(parseAnthropicResponse(response({ stop_reason: stopReason })).finishReason).toBe(finishReason);
	});

	it('gives a null finish reason when there is no stop reason', () => {
		expect(parseAnthropicResponse(response({ stop_reason: null })).finishReason).toBeNull();
	});

	it('counts cache reads and cache writes into the input, which Anthropic reports apart', () => {
		const body = response({ usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200 } });
		expect(parseAnthropicResponse(body).usage).toEqual({ input: 1210, output: 5, cachedInput: 1000, cacheWrite: 200 });
	});

	it('detects tool use', () => {
		const body = response({
			content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} }],
			stop_reason: 'tool_use',
		});
		const result = parseAnthropicResponse(body);
		expect(result.hasToolCalls).toBe(true);
		expect(result.text).toBe('');
		expect(result.finishReason).toBe('tool_calls');
	});

	it('counts missing usage as zero', () => {
		expect(parseAnthropicResponse(response({ usage: undefined })).usage).toEqual({ input: 0, output: 0, cachedInput: 0, cacheWrite: 0 });
	});

	it.each([
		['null', null],
		['an array', []],
		['an object without content', { type: 'message' }],
		['content that is not a list', { content: 'Paris.' }],
	])('refuses %s as a malformed response', (_label, body) => {
		expect(() => parseAnthropicResponse(body)).toThrow(ProviderError);
		expect(() => parseAnthropicResponse(body)).toThrow(expect.objectContaining({ code: 'malformed_response', status: 200 }));
	});
});

describe('parseAnthropicError', () => {
	it('reads the type and message of an Anthropic error body', () => {
		const body = JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
		expect(parseAnthropicError(body)).toEqual({ message: 'Overloaded', code: 'overloaded_error' });
	});

	it('keeps the start of a body that is not an Anthropic error', () => {
		expect(parseAnthropicError('upstream connect error')).toEqual({ message: 'upstream connect error' });
		expect(parseAnthropicError(JSON.stringify({ detail: 'x' }))).toEqual({ message: '{"detail":"x"}' });
		expect(parseAnthropicError('')).toEqual({ message: 'no error message' });
	});
});
