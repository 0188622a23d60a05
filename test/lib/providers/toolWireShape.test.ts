import { buildHttpRequest, resolveEndpoint, type ChatMessage, type ChatRequest, type ChatToolCall } from '../../../lib/providers';
import { parseAnthropicResponse } from '../../../lib/providers/anthropic';
import { parseOpenAiResponse } from '../../../lib/providers/openAiCompatible';

const openAi = resolveEndpoint({ provider: 'openAiCompatible', baseUrl: 'https://llm.example.test/v1', apiKey: 'sk-test-0123456789abcdef' });
const anthropic = resolveEndpoint({ provider: 'anthropic', baseUrl: 'https://api.anthropic.example.test', apiKey: 'sk-ant-test-0123456789' });

const call: ChatToolCall = { id: 'call_1', name: 'weather', arguments: { city: 'Paris' }, argumentsText: '{"city": "Paris"}' };
const tool = { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } };
const base: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'Weather?' }], responseFormat: 'text' };

describe('messages as given stay as given', () => {
	// Optimized AI Call sends provider-shaped messages (and tools through extraBody): none of that may change.
	const wireOpenAi: ChatMessage[] = [
		{ role: 'user', content: 'Weather?' },
		{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{}' } }] },
		{ role: 'tool', tool_call_id: 'c1', content: 'sunny' },
	];
	const wireAnthropic: ChatMessage[] = [
		{ role: 'user', content: 'Weather?' },
		{ role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'weather', input: {} }] },
		{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'sunny' }] },
	];

	it('OpenAI-compatible: the same message objects, and extraBody tools untouched', () => {
		const extraBody = { tools: [{ type: 'function', function: { name: 'weather', parameters: {} } }], tool_choice: 'auto' };
		const body = buildHttpRequest({ ...base, messages: wireOpenAi, extraBody }, openAi).body;
		expect(body.messages).toEqual(wireOpenAi);
		(body.messages as unknown[]).forEach((message, index) => expect(message).toBe(wireOpenAi[index]));
		expect(body.tools).toEqual(extraBody.tools);
		expect(body).not.toHaveProperty('stream');
	});

	it('Anthropic: the same message objects, never mutated when a neutral result follows them', () => {
		const before = structuredClone(wireAnthropic);
		const body = buildHttpRequest({ ...base, messages: wireAnthropic }, anthropic).body;
		(body.messages as unknown[]).forEach((message, index) => expect(message).toBe(wireAnthropic[index]));
		const mixed = buildHttpRequest(
			{
				...base,
				messages: [
					...wireAnthropic.slice(0, 1),
					{ role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'weather', input: {} }, { type: 'tool_use', id: 't2', name: 'weather', input: {} }] },
					wireAnthropic[2],
					{ role: 'tool', toolCallId: 't2', content: 'rain' },
				],
			},
			anthropic,
		).body;
		expect((mixed.messages as ChatMessage[])[2].content).toEqual([
			{ type: 'tool_result', tool_use_id: 't1', content: 'sunny' },
			{ type: 'tool_result', tool_use_id: 't2', content: 'rain' },
		]);
		expect(wireAnthropic).toEqual(before);
	});
});

describe('neutral tool messages in each wire format', () => {
	const conversation: ChatMessage[] = [
		{ role: 'user', content: 'Weather?' },
		{ role: 'assistant', content: 'Let me look.', toolCalls: [call] },
		{ role: 'tool', toolCallId: 'call_1', content: 'sunny' },
		{ role: 'user', content: 'Thanks. And tomorrow?' },
	];

	it('OpenAI-compatible: tool_calls with the argument text as the model wrote it, then role tool', () => {
		const body = buildHttpRequest({ ...base, messages: conversation }, openAi).body;
		expect(body.messages).toEqual([
			{ role: 'user', content: 'Weather?' },
			{ role: 'assistant', content: 'Let me look.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city": "Paris"}' } }] },
			{ role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
			{ role: 'user', content: 'Thanks. And tomorrow?' },
		]);
	});

	it('Anthropic: text then tool_use blocks, the result in a user message of its own before the next question', () => {
		const body = buildHttpRequest({ ...base, messages: conversation }, anthropic).body;
		expect(body.messages).toEqual([
			{ role: 'user', content: 'Weather?' },
			{ role: 'assistant', content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } }] },
			{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'sunny' }] },
			{ role: 'user', content: 'Thanks. And tomorrow?' },
		]);
	});

	it.each([
		['OpenAI-compatible', openAi],
		['Anthropic', anthropic],
	])('%s: no tools field for an empty list, no tool choice without tools, extraBody still last', (_name, endpoint) => {
		const body = buildHttpRequest({ ...base, tools: [], toolChoice: 'required' }, endpoint).body;
		expect(body).not.toHaveProperty('tools');
		expect(body).not.toHaveProperty('tool_choice');
		const overridden = buildHttpRequest({ ...base, tools: [tool], toolChoice: 'required', extraBody: { tool_choice: 'auto' } }, endpoint).body;
		expect(overridden.tool_choice).toBe('auto');
	});

	it('maps required to OpenAI required and Anthropic any', () => {
		expect(buildHttpRequest({ ...base, tools: [tool], toolChoice: 'required' }, openAi).body.tool_choice).toBe('required');
		expect(buildHttpRequest({ ...base, tools: [tool], toolChoice: 'required' }, anthropic).body.tool_choice).toEqual({ type: 'any' });
	});

	it('asks OpenAI for usage in a stream, and marks both streamed requests', () => {
		expect(buildHttpRequest(base, openAi, true).body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
		expect(buildHttpRequest(base, anthropic, true).body).toMatchObject({ stream: true });
		expect(buildHttpRequest(base, anthropic, true).body).not.toHaveProperty('stream_options');
	});
});

describe('tool calls of an answer', () => {
	it('OpenAI: keeps the argument text and gives null arguments when it is not a JSON object', () => {
		const result = parseOpenAiResponse({
			choices: [
				{
					finish_reason: 'tool_calls',
					message: {
						content: null,
						tool_calls: [
							{ id: 'a', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
							{ id: 'b', type: 'function', function: { name: 'weather', arguments: '{"city":' } },
							{ id: 'c', type: 'function', function: { name: 'clock', arguments: '' } },
						],
					},
				},
			],
		});
		expect(result.toolCalls).toEqual([
			{ id: 'a', name: 'weather', arguments: { city: 'Paris' }, argumentsText: '{"city":"Paris"}' },
			{ id: 'b', name: 'weather', arguments: null, argumentsText: '{"city":' },
			{ id: 'c', name: 'clock', arguments: {}, argumentsText: '' },
		]);
		expect(result.hasToolCalls).toBe(true);
	});

	it('Anthropic: tool_use blocks in order, beside the text', () => {
		const result = parseAnthropicResponse({
			stop_reason: 'tool_use',
			content: [
				{ type: 'text', text: 'Looking.' },
				{ type: 'tool_use', id: 't1', name: 'weather', input: { city: 'Paris' } },
			],
			usage: { input_tokens: 3, output_tokens: 2 },
		});
		expect(result).toMatchObject({
			text: 'Looking.',
			finishReason: 'tool_calls',
			toolCalls: [{ id: 't1', name: 'weather', arguments: { city: 'Paris' }, argumentsText: '{"city":"Paris"}' }],
		});
	});
});
