import { cacheKeyFor, cacheKeyForSliced, credentialFingerprint, nearDuplicateScopeFor, promptPreviewOf, promptTextOf } from '../../../lib/aiCall';
import { WorkSlicer } from '../../../lib/shared/yieldToEventLoop';
import type { ChatRequest } from '../../../lib/providers';

const API_KEY = 'sk-test-5e6f7a8b9c0d1e2f';
const fingerprint = credentialFingerprint({ provider: 'openAiCompatible', baseUrl: 'https://llm.example.test/v1', apiKey: API_KEY });

const base: ChatRequest = {
	provider: 'openAiCompatible',
	baseUrl: 'https://llm.example.test/v1',
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
	const baseKey = cacheKeyFor(base, fingerprint);

	it('is a SHA-256 hex digest', () => {
		expect(baseKey).toMatch(/^[0-9a-f]{64}$/);
	});

	it('is stable for the same request', () => {
		expect(cacheKeyFor(structuredClone(base), fingerprint)).toBe(baseKey);
	});

	it.each<[string, Partial<ChatRequest>]>([
		['another provider', { provider: 'anthropic' }],
		['another baseUrl', { baseUrl: 'https://other.example.test/v1' }],
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
		['cacheSystemPrompt on', { cacheSystemPrompt: true }],
	])('changes for %s', (_field, change) => {
		expect(cacheKeyFor({ ...base, ...change }, fingerprint)).not.toBe(baseKey);
	});

	it('changes with the credential fingerprint', () => {
		const other = credentialFingerprint({ provider: 'openAiCompatible', baseUrl: base.baseUrl, apiKey: 'sk-test-another-account-key' });
		expect(cacheKeyFor(base, other)).not.toBe(baseKey);
	});

	it('does not depend on the key order inside extraBody', () => {
		const reordered = { ...base, extraBody: { user: 'u1', reasoning: { summary: 'auto', effort: 'low' } } };
		expect(cacheKeyFor(reordered, fingerprint)).toBe(baseKey);
	});

	it('does not depend on the key order inside messages', () => {
		const reordered = { ...base, messages: base.messages.map((message) => ({ content: message.content, role: message.role })) };
		expect(cacheKeyFor(reordered, fingerprint)).toBe(baseKey);
	});

	it('does not depend on the order the request fields were set in', () => {
		const { extraBody, model, messages, ...rest } = base;
		expect(cacheKeyFor({ messages, ...rest, extraBody, model }, fingerprint)).toBe(baseKey);
	});

	it('ignores trailing slashes of the base URL', () => {
		expect(cacheKeyFor({ ...base, baseUrl: 'https://llm.example.test/v1/' }, fingerprint)).toBe(baseKey);
		expect(cacheKeyFor({ ...base, baseUrl: 'https://llm.example.test/v1///' }, fingerprint)).toBe(baseKey);
	});

	it('never contains the API key', () => {
		expect(baseKey).not.toContain(API_KEY);
		expect(fingerprint).not.toContain(API_KEY);
		expect(cacheKeyFor(base, fingerprint)).not.toContain(fingerprint);
	});
});

describe('credentialFingerprint', () => {
	const parts = { provider: 'openAiCompatible', baseUrl: 'https://llm.example.test/v1', apiKey: API_KEY, organization: 'org-1' };
	const print = credentialFingerprint(parts);

	it('is a 32-character hex hash that contains no part of the key', () => {
		expect(print).toMatch(/^[0-9a-f]{32}$/);
		expect(print).not.toContain(API_KEY);
		expect(print).not.toContain(API_KEY.slice(0, 8));
	});

	it('is stable for the same credential, whatever the trailing slash', () => {
		expect(credentialFingerprint({ ...parts })).toBe(print);
		expect(credentialFingerprint({ ...parts, baseUrl: 'https://llm.example.test/v1/' })).toBe(print);
	});

	it.each([
		['another API key', { apiKey: 'sk-test-another-account-key' }],
		['another organization', { organization: 'org-2' }],
		['no organization', { organization: undefined }],
		['another base URL', { baseUrl: 'https://gateway.example.test/v1' }],
		['another provider', { provider: 'anthropic' }],
	])('differs for %s', (_label, change) => {
		expect(credentialFingerprint({ ...parts, ...change })).not.toBe(print);
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
		await expect(cacheKeyForSliced(base, fingerprint, new WorkSlicer())).resolves.toBe(cacheKeyFor(base, fingerprint));
		await expect(cacheKeyForSliced(huge, fingerprint, new WorkSlicer(0))).resolves.toBe(cacheKeyFor(huge, fingerprint));
	});
});

describe('nearDuplicateScopeFor', () => {
	const baseScope = nearDuplicateScopeFor(base, fingerprint);

	it('ignores the text of the messages', () => {
		const reworded = { ...base, messages: base.messages.map((message) => ({ ...message, content: `${message.content} (reworded)` })) };
		expect(nearDuplicateScopeFor(reworded, fingerprint)).toBe(baseScope);
	});

	it('ignores trailing slashes of the base URL', () => {
		expect(nearDuplicateScopeFor({ ...base, baseUrl: `${base.baseUrl}/` }, fingerprint)).toBe(baseScope);
	});

	it.each<[string, Partial<ChatRequest>]>([
		['other message roles', { messages: base.messages.map((message) => ({ ...message, role: 'user' })) }],
		['fewer messages', { messages: base.messages.slice(0, 1) }],
		['another system prompt', { system: 'Answer at length.' }],
		['another model', { model: 'gpt-test-mini' }],
		['another provider', { provider: 'anthropic' }],
		['another baseUrl', { baseUrl: 'https://other.example.test/v1' }],
		['another temperature', { temperature: 0.5 }],
		['another maxTokens', { maxTokens: 5 }],
		['the JSON response format', { responseFormat: 'json' }],
		['another extraBody', { extraBody: { tools: [] } }],
	])('changes for %s', (_field, change) => {
		expect(nearDuplicateScopeFor({ ...base, ...change }, fingerprint)).not.toBe(baseScope);
	});

	it('changes with the credential fingerprint', () => {
		expect(nearDuplicateScopeFor(base, 'another-fingerprint')).not.toBe(baseScope);
	});

	it('changes when only a non-text part such as an image differs, since the prompt text cannot tell them apart', () => {
		const withImage = (url: string): ChatRequest => ({
			...base,
			messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url } }] }],
		});
		const cat = withImage('https://images.example.test/cat.png');
		const dog = withImage('https://images.example.test/dog.png');
		expect(promptTextOf(cat)).toBe(promptTextOf(dog));
		expect(nearDuplicateScopeFor(cat, fingerprint)).not.toBe(nearDuplicateScopeFor(dog, fingerprint));
	});

	it('changes when the tool calls of an assistant message differ', () => {
		const withCall = (city: string): ChatRequest => ({
			...base,
			messages: [
				{ role: 'user', content: 'Weather?' },
				{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: JSON.stringify({ city }) } }] },
			],
		});
		expect(nearDuplicateScopeFor(withCall('Paris'), fingerprint)).not.toBe(nearDuplicateScopeFor(withCall('Rome'), fingerprint));
	});

	it('ignores the key order of the text parts of a message', () => {
		const parts = (text: string, reorder: boolean): ChatRequest => ({
			...base,
			messages: [{ role: 'user', content: [reorder ? { text, type: 'text' } : { type: 'text', text }] }],
		});
		expect(nearDuplicateScopeFor(parts('one wording', false), fingerprint)).toBe(nearDuplicateScopeFor(parts('another wording', true), fingerprint));
	});
});

describe('credentialFingerprint and extra headers', () => {
	it('tells apart credentials that differ only in their extra header', () => {
		const base = { provider: 'openAiCompatible', baseUrl: 'https://gw.example/v1', apiKey: 'sk-same-key-123' };
		const tenantA = credentialFingerprint({ ...base, extraHeader: { name: 'X-Tenant', value: 'a' } });
		const tenantB = credentialFingerprint({ ...base, extraHeader: { name: 'X-Tenant', value: 'b' } });
		expect(tenantA).not.toBe(tenantB);
		expect(tenantA).not.toBe(credentialFingerprint(base));
	});
});
