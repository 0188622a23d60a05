import { isPlainObject, type JsonObject } from '../shared/json';
import type { ProviderEndpoint } from './endpoint';
import { messageText } from './messageText';
import { ProviderError } from './providerError';
import type { ChatRequest, ChatResult, HttpRequest } from './types';

/** Anthropic requires `max_tokens`; used when the node leaves it empty. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;

const STOP_REASONS: Record<string, string> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls' };

/** POST {baseUrl}/v1/messages. System messages inside the conversation move to `system`, where Anthropic wants them. */
export function buildAnthropicRequest(request: ChatRequest, endpoint: ProviderEndpoint): HttpRequest {
	const systemTexts = request.system ? [request.system] : [];
	const messages: JsonObject[] = [];
	for (const message of request.messages) {
		if (message.role === 'system') systemTexts.push(messageText(message));
		else messages.push(message as JsonObject);
	}
	const body: JsonObject = {
		model: request.model,
		messages,
		max_tokens: request.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
	};
	if (systemTexts.length > 0) {
		const system = systemTexts.join('\n\n');
		body.system = request.cacheSystemPrompt
			? [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }]
			: system;
	}
	if (request.temperature !== undefined) body.temperature = request.temperature;
	if (request.topP !== undefined) body.top_p = request.topP;
	if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop;
	// Anthropic has no JSON mode or seed; JSON mode is asked for in the prompt and checked on the answer.
	Object.assign(body, request.extraBody);
	return { url: `${endpoint.baseUrl}/v1/messages`, headers: { 'content-type': 'application/json', ...endpoint.authHeaders }, body };
}

function count(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

export function parseAnthropicResponse(body: unknown): ChatResult {
	if (!isPlainObject(body) || !Array.isArray(body.content)) {
		throw new ProviderError({ status: 200, code: 'malformed_response', providerMessage: 'the response has no content list' });
	}
	const blocks = body.content.filter(isPlainObject);
	const text = blocks
		.filter((block) => block.type === 'text' && typeof block.text === 'string')
		.map((block) => block.text as string)
		.join('');
	const usage = isPlainObject(body.usage) ? body.usage : {};
	const cachedInput = count(usage.cache_read_input_tokens);
	const cacheWrite = count(usage.cache_creation_input_tokens);
	const stopReason = typeof body.stop_reason === 'string' ? body.stop_reason : null;
	return {
		text,
		finishReason: stopReason === null ? null : (STOP_REASONS[stopReason] ?? stopReason),
		// Anthropic's input_tokens exclude cache reads and writes; ours include them.
		usage: { input: count(usage.input_tokens) + cachedInput + cacheWrite, output: count(usage.output_tokens), cachedInput, cacheWrite },
		hasToolCalls: blocks.some((block) => block.type === 'tool_use'),
		raw: body,
	};
}

/** `{type: 'error', error: {type, message}}`, or whatever text the server sent. */
export function parseAnthropicError(bodyText: string): { message: string; code?: string } {
	try {
		const body = JSON.parse(bodyText) as unknown;
		const error = isPlainObject(body) ? body.error : undefined;
		if (isPlainObject(error) && typeof error.message === 'string') {
			return { message: error.message, code: typeof error.type === 'string' ? error.type : undefined };
		}
	} catch {
		// not JSON: fall through to the raw text
	}
	return { message: bodyText.slice(0, 300) || 'no error message' };
}
