import { cacheKeyFor, cacheKeyForSliced, nearDuplicateScopeFor, promptPreviewOf, promptTextOf } from '../../../lib/aiCall';
import { WorkSlicer } from '../../../lib/shared/yieldToEventLoop';
import { resolveEndpoint, type ChatRequest, type ProviderCredentialData } from '../../../lib/providers';

const API_KEY = 'sk-test-5e6f7a8b9c0d1e2f';
const credential: ProviderCredentialData = { provider: 'openAiCompatible', baseUrl: 'https://llm.example.test/v1', apiKey: API_KEY };
const endpoint = resolveEndpoint(credential);

/** The same credential with some fields changed. */
const endpointWith = (change: ProviderCredentialData) => resolveEndpoint({ ...credential, ...change });

/** What an endpoint contributes to a key, each changed in turn. */
const ENDPOINT_CHANGES: Array<[string, ProviderCredentialData]> = [
	['another provider', { provider: 'anthropic' }],
	['another base URL', { baseUrl: 'https://other.example.test/v1' }],
	['another API key (the fingerprint)', { apiKey: 'sk-test-another-account-key' }],
];

const base: ChatRequest = {
	model: 'gpt-test',
	system: 'Answer briefly.',
	messages: [
		{ role: 'user', content: 'What is the capital of France?' },
		{ role: 'assistant', content: 'Paris.' },
		{ role: 'user', content: 'And of Italy?' },
	],
	temperature: 0,
	topP: 1,
	maxTokens: 100,
	stop: ['END'],
	seed: 1,
	responseFormat: 'text',
	extraBody: { reasoning: { effort: 'low', summary: 'auto' }, user: 'u1' },
	cacheSystemPrompt: false,
};

describe('cacheKeyFor', () => {
	const baseKey = cacheKeyFor(base, endpoint);

	it('is a SHA-256 hex digest', () => {
		expect(baseKey).toMatch(/^[0-9a-f]{64}$/);
	});

	it('is stable for the same request', () => {
		expect(cacheKeyFor(structuredClone(base), endpoint)).toBe(baseKey);
	});

	it.each<[string, Partial<ChatRequest>]>([
		['another model', { model: 'gpt-test-mini' }],
		['another system prompt', { system: 'Answer at length.' }],
		['no system prompt', { system: undefined }],
		['another message text', { messages: [{ role: 'user', content: 'What is the capital of Spain?' }, ...base.messages.slice(1)] }],
		['another message role', { messages: [{ role: 'system', content: 'What is the capital of France?' }, ...base.messages.slice(1)] }],
		['fewer messages', { messages: base.messages.slice(0, 1) }],
		['an image part', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/a.png' } }] }] }],
		['another temperature', { temperature: 0.7 }],
		['no temperature', { temperature: undefined }],
		['another topP', { topP: 0.5 }],
		['another maxTokens', { maxTokens: 200 }],
		['another stop list', { stop: ['STOP'] }],
		['another seed', { seed: 2 }],
		['the JSON response format', { responseFormat: 'json' }],
		['another extraBody', { extraBody: { reasoning: { effort: 'high', summary: 'auto' }, user: 'u1' } }],
		['no extraBody', { extraBody: undefined }],
	])('changes for %s', (_field, change) => {
		expect(cacheKeyFor({ ...base, ...change }, endpoint)).not.toBe(baseKey);
	});

	it.each(ENDPOINT_CHANGES)('changes for %s of the endpoint', (_field, change) => {
		expect(cacheKeyFor(base, endpointWith(change))).not.toBe(baseKey);
	});

	it('changes for cacheSystemPrompt on an Anthropic endpoint, where the provider honours it, and only there', () => {
		const anthropic = endpointWith({ provider: 'anthropic' });
		expect(cacheKeyFor({ ...base, cacheSystemPrompt: true }, anthropic)).not.toBe(cacheKeyFor(base, anthropic));
		expect(cacheKeyFor({ ...base, cacheSystemPrompt: true }, endpoint)).toBe(baseKey);
	});

	it('does not depend on the key order inside extraBody', () => {
		const reordered = { ...base, extraBody: { user: 'u1', reasoning: { summary: 'auto', effort: 'low' } } };
		expect(cacheKeyFor(reordered, endpoint)).toBe(baseKey);
	});

	it('does not depend on the key order inside messages', () => {
		const reordered = { ...base, messages: base.messages.map((message) => ({ content: message.content, role: message.role })) };
		expect(cacheKeyFor(reordered, endpoint)).toBe(baseKey);
	});

	it('does not depend on the order the request fields were set in', () => {
		const { extraBody, model, messages, ...rest } = base;
		expect(cacheKeyFor({ messages, ...rest, extraBody, model }, endpoint)).toBe(baseKey);
	});

	it('ignores trailing slashes of the base URL', () => {
		expect(cacheKeyFor(base, endpointWith({ baseUrl: 'https://llm.example.test/v1/' }))).toBe(baseKey);
		expect(cacheKeyFor(base, endpointWith({ baseUrl: 'https://llm.example.test/v1///' }))).toBe(baseKey);
	});

	it('never contains the API key', () => {
		expect(baseKey).not.toContain(API_KEY);
		expect(endpoint.fingerprint).not.toContain(API_KEY);
		expect(cacheKeyFor(base, endpoint)).not.toContain(endpoint.fingerprint);
	});
});

describe('promptTextOf', () => {
	it('is the conversation as role-prefixed lines, text parts only', () => {
		const text = promptTextOf({
			...base,
			messages: [
				{ role: 'user', content: 'Hi' },
				{ role: 'user', content: [{ type: 'text', text: 'Look:' }, { type: 'image_url', image_url: { url: 'https://x/a.png' } }] },
			],
		});
		expect(text).toBe('user: Hi\nuser: Look:');
	});
});

describe('promptPreviewOf', () => {
	it('is the start of promptTextOf, however the limit falls', () => {
		const request: ChatRequest = {
			...base,
			messages: [
				{ role: 'user', content: 'Hi' },
				{ role: 'assistant', content: 'Hello there' },
				{ role: 'user', content: [{ type: 'text', text: 'Look:' }, { type: 'image_url', image_url: { url: 'https://x/a.png' } }] },
			],
		};
		const full = promptTextOf(request);
		for (const limit of [0, 1, 5, 8, 9, 20, full.length, full.length + 10]) expect(promptPreviewOf(request, limit)).toBe(full.slice(0, limit));
	});
});

describe('cacheKeyForSliced', () => {
	it('is the same key as cacheKeyFor, so entries written by either are found by both', async () => {
		const huge = { ...base, messages: [{ role: 'user' as const, content: `${'😀'.repeat(700_000)}end` }] };
		await expect(cacheKeyForSliced(base, endpoint, new WorkSlicer())).resolves.toBe(cacheKeyFor(base, endpoint));
		await expect(cacheKeyForSliced(huge, endpoint, new WorkSlicer(0))).resolves.toBe(cacheKeyFor(huge, endpoint));
	});
});

describe('nearDuplicateScopeFor', () => {
	const baseScope = nearDuplicateScopeFor(base, endpoint);

	it('ignores the text of the messages', () => {
		const reworded = { ...base, messages: base.messages.map((message) => ({ ...message, content: `${message.content} (reworded)` })) };
		expect(nearDuplicateScopeFor(reworded, endpoint)).toBe(baseScope);
	});

	it('ignores trailing slashes of the base URL', () => {
		expect(nearDuplicateScopeFor(base, endpointWith({ baseUrl: 'https://llm.example.test/v1/' }))).toBe(baseScope);
	});

	it.each<[string, Partial<ChatRequest>]>([
		['other message roles', { messages: base.messages.map((message) => ({ ...message, role: 'user' })) }],
		['fewer messages', { messages: base.messages.slice(0, 1) }],
		['another system prompt', { system: 'Answer at length.' }],
		['another model', { model: 'gpt-test-mini' }],
		['another temperature', { temperature: 0.5 }],
		['another maxTokens', { maxTokens: 5 }],
		['the JSON response format', { responseFormat: 'json' }],
		['another extraBody', { extraBody: { tools: [] } }],
	])('changes for %s', (_field, change) => {
		expect(nearDuplicateScopeFor({ ...base, ...change }, endpoint)).not.toBe(baseScope);
	});

	it.each(ENDPOINT_CHANGES)('changes for %s of the endpoint', (_field, change) => {
		expect(nearDuplicateScopeFor(base, endpointWith(change))).not.toBe(baseScope);
	});

	it('changes when only a non-text part such as an image differs, since the prompt text cannot tell them apart', () => {
		const withImage = (url: string): ChatRequest => ({
			...base,
			messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url } }] }],
		});
		const cat = withImage('https://images.example.test/cat.png');
		const dog = withImage('https://images.example.test/dog.png');
		expect(promptTextOf(cat)).toBe(promptTextOf(dog));
		expect(nearDuplicateScopeFor(cat, endpoint)).not.toBe(nearDuplicateScopeFor(dog, endpoint));
	});

	it('changes when the tool calls of an assistant message differ', () => {
		const withCall = (city: string): ChatRequest => ({
			...base,
			messages: [
				{ role: 'user', content: 'Weather?' },
				{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: JSON.stringify({ city }) } }] },
			],
		});
		expect(nearDuplicateScopeFor(withCall('Paris'), endpoint)).not.toBe(nearDuplicateScopeFor(withCall('Rome'), endpoint));
	});

	it('ignores the key order of the text parts of a message', () => {
		const parts = (text: string, reorder: boolean): ChatRequest => ({
			...base,
			messages: [{ role: 'user', content: [reorder ? { text, type: 'text' } : { type: 'text', text }] }],
		});
		expect(nearDuplicateScopeFor(parts('one wording', false), endpoint)).toBe(nearDuplicateScopeFor(parts('another wording', true), endpoint));
	});
});

describe('cacheKeyFor over tool conversations', () => {
	const weather = { name: 'weather', description: 'Current weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
	const call = { id: 'call_1', name: 'weather', arguments: { city: 'Paris' }, argumentsText: '{"city":"Paris"}' };
	const conversation: ChatRequest = {
		model: 'gpt-test',
		system: 'Use tools.',
		messages: [
			{ role: 'user', content: 'Weather in Paris?' },
			{ role: 'assistant', content: null, toolCalls: [call] },
			{ role: 'tool', toolCallId: 'call_1', content: 'sunny, 21 °C' },
		],
		temperature: 0,
		responseFormat: 'text',
		tools: [weather],
		toolChoice: 'auto',
	};
	const conversationKey = cacheKeyFor(conversation, endpoint);

	it('keeps the keys of requests without neutral tools exactly as they were (pinned)', () => {
		// Written before tools became request fields; a change here would orphan every cached Optimized AI Call answer.
		const today = {
			model: 'gpt-test',
			system: 'Answer briefly.',
			messages: [
				{ role: 'user', content: 'What is the capital of France?' },
				{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
				{ role: 'tool', tool_call_id: 'c1', content: 'sunny' },
			],
			temperature: 0,
			maxTokens: 100,
			responseFormat: 'text',
			extraBody: { tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }] },
		} as ChatRequest;
		const anthropic = resolveEndpoint({ provider: 'anthropic', baseUrl: 'https://llm.example.test', apiKey: API_KEY });
		expect(cacheKeyFor(today, endpoint)).toBe('fab8b0bd753bdeabebcd43e6458c3e6440701e8718119b60244b0d07e787fee0');
		expect(cacheKeyFor({ ...today, cacheSystemPrompt: true }, anthropic)).toBe('cddfd95c2e17d14a5e9fc9246df0f83e9c8ae978b545072ddc7a9955f892c986');
		expect(nearDuplicateScopeFor(today, endpoint)).toBe('c9d2fec04e2cfa27a32a81ff66e1f7d3e4ebb8f1e0e2a21a1134ac81f38a6356');
		// Empty tool lists and a tool choice without tools are not sent, so they do not split entries either.
		expect(cacheKeyFor({ ...today, tools: [], toolChoice: 'required' }, endpoint)).toBe(cacheKeyFor(today, endpoint));
	});

	it.each<[string, Partial<ChatRequest>]>([
		['no tools', { tools: undefined }],
		['another tool description', { tools: [{ ...weather, description: 'Weather' }] }],
		['other tool parameters', { tools: [{ ...weather, parameters: { type: 'object', properties: { town: { type: 'string' } } } }] }],
		['one more tool', { tools: [weather, { name: 'clock', parameters: { type: 'object' } }] }],
		['another tool choice', { toolChoice: 'required' }],
		['a forced tool', { toolChoice: { name: 'weather' } }],
		['another tool result', { messages: [...conversation.messages.slice(0, 2), { role: 'tool', toolCallId: 'call_1', content: 'rain' }] }],
		[
			'other tool-call arguments',
			{ messages: [conversation.messages[0], { role: 'assistant', content: null, toolCalls: [{ ...call, arguments: { city: 'Rome' }, argumentsText: '{"city":"Rome"}' }] }, conversation.messages[2]] },
		],
		['another tool-call id', { messages: [conversation.messages[0], { role: 'assistant', content: null, toolCalls: [{ ...call, id: 'call_2' }] }, { role: 'tool', toolCallId: 'call_2', content: 'sunny, 21 °C' }] }],
		['the text beside a tool call', { messages: [conversation.messages[0], { ...conversation.messages[1], content: 'Let me look.' }, conversation.messages[2]] }],
		['the tool result missing', { messages: conversation.messages.slice(0, 2) }],
	])('changes for %s', (_what, change) => {
		expect(cacheKeyFor({ ...conversation, ...change }, endpoint)).not.toBe(conversationKey);
	});

	it('treats no tool choice as auto, which is what both providers do with tools', () => {
		expect(cacheKeyFor({ ...conversation, toolChoice: undefined }, endpoint)).toBe(conversationKey);
	});

	it('does not depend on the key order inside tool schemas', () => {
		const reordered = { ...conversation, tools: [{ parameters: { required: ['city'], properties: { city: { type: 'string' } }, type: 'object' }, name: 'weather', description: weather.description }] };
		expect(cacheKeyFor(reordered, endpoint)).toBe(conversationKey);
	});

	it('still separates accounts and never contains the API key', () => {
		expect(cacheKeyFor(conversation, endpointWith({ apiKey: 'sk-test-another-account-key' }))).not.toBe(conversationKey);
		expect(conversationKey).not.toContain(API_KEY);
	});

	it('scopes near-duplicates by the tools too, and by tool calls but not by the wording of tool results', () => {
		const scope = nearDuplicateScopeFor(conversation, endpoint);
		expect(nearDuplicateScopeFor({ ...conversation, tools: [{ ...weather, description: 'Weather' }] }, endpoint)).not.toBe(scope);
		const otherCall = { ...conversation, messages: [conversation.messages[0], { role: 'assistant', content: null, toolCalls: [{ ...call, argumentsText: '{"city":"Rome"}' }] }, conversation.messages[2]] };
		expect(nearDuplicateScopeFor(otherCall, endpoint)).not.toBe(scope);
		const otherResult = { ...conversation, messages: [...conversation.messages.slice(0, 2), { role: 'tool', toolCallId: 'call_1', content: 'rain' }] };
		expect(nearDuplicateScopeFor(otherResult, endpoint)).toBe(scope);
	});
});
