import type { AiCallDependencies, AiCallSettings } from '../../../lib/aiCall';
import { NearDuplicateIndex } from '../../../lib/dedup';
import {
	createChatClient,
	resolveEndpoint,
	StreamedAnswer,
	type ChatContentChunk,
	type ChatMessage,
	type ChatRequest,
	type ChatResult,
	type ChatToolCall,
	type ProviderKind,
} from '../../../lib/providers';
import { ManualClock } from '../../../lib/shared/clock';
import { silentLogger } from '../../../lib/shared/logger';
import { ProcessState, StaticDataStateStore } from '../../../lib/state';
import { DEFAULT_STUB_API_KEY, type LlmStub } from '../../helpers/llmStub';

export const TOOLS: ChatRequest['tools'] = [
	{ name: 'weather', description: 'Current weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
	{ name: 'clock', parameters: { type: 'object', properties: {} } },
];

export function textRequest(prompt: string): ChatRequest {
	return { model: 'test-model', system: 'Be brief.', messages: [{ role: 'user', content: prompt }], temperature: 0, responseFormat: 'text' };
}

export function toolRequest(prompt: string): ChatRequest {
	return { ...textRequest(prompt), system: 'Use the tools.', tools: TOOLS };
}

/** The next turn of a tool conversation: the answer's calls, then one result per call, as the Agent sends them back. */
export function nextTurn(previous: ChatRequest, answer: { text: string; toolCalls: ChatToolCall[] }, results: string[]): ChatRequest {
	const messages: ChatMessage[] = [
		...previous.messages,
		{ role: 'assistant', content: answer.text === '' ? null : answer.text, toolCalls: answer.toolCalls },
		...answer.toolCalls.map((call, index) => ({ role: 'tool', toolCallId: call.id, content: results[index] })),
	];
	return { ...previous, messages };
}

export const engineSettings: AiCallSettings = {
	cacheMode: 'readWrite',
	cacheTtlMs: 0,
	cacheNonZeroTemperature: false,
	persist: false,
	compression: 'off',
	retryPolicy: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 },
	price: { input: 2, output: 8 },
};

/**
 * Engine dependencies as the nodes build them, on a real chat client against the stub and a real static-data
 * store (cache and coalescing); `sleep` records the waits and returns at once.
 */
export function engineOnStub(stub: LlmStub, provider: ProviderKind) {
	return engineAt(provider === 'anthropic' ? stub.anthropicBaseUrl : stub.openAiBaseUrl, provider);
}

/** {@link engineOnStub} for any base URL, for tests that replace the client's calls. */
export function engineAt(baseUrl: string, provider: ProviderKind) {
	const clock = new ManualClock();
	const process = new ProcessState({ instanceId: 'host-a', clock });
	const store = new StaticDataStateStore({ process, workflowId: 'wf1', staticData: {}, logger: silentLogger });
	const cache = store.caches.open('ai:test', { maxEntries: 100, ttlMs: 0 });
	const client = createChatClient(resolveEndpoint({ provider, baseUrl, apiKey: DEFAULT_STUB_API_KEY }), { timeoutMs: 5000 });
	const sleeps: number[] = [];
	const deps: AiCallDependencies = {
		client,
		cache,
		coalesce: (key, work) => store.caches.coalesce(key, work),
		nearDuplicates: new NearDuplicateIndex({ maxEntries: 100 }),
		sleep: async (ms) => {
			sleeps.push(ms);
		},
		clock,
		now: () => performance.now(),
		random: () => 0.5,
	};
	return { deps, cache, client, sleeps };
}

/** Dependencies that stream into a list of their own. */
export function streaming(deps: AiCallDependencies): { deps: AiCallDependencies; chunks: ChatContentChunk[] } {
	const chunks: ChatContentChunk[] = [];
	return { deps: { ...deps, onChunk: (chunk) => chunks.push(chunk) }, chunks };
}

/** What a consumer holds after folding the pieces it was handed (the finish is the consumer's own). */
export function foldPieces(chunks: ChatContentChunk[]): Pick<ChatResult, 'text' | 'toolCalls'> {
	const answer = new StreamedAnswer();
	for (const chunk of chunks) answer.add(chunk);
	answer.add({ type: 'finish', finishReason: null, usage: { input: 0, output: 0, cachedInput: 0, cacheWrite: 0 } });
	const { text, toolCalls } = answer.result();
	return { text, toolCalls };
}
