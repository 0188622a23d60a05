import { isPlainObject, type JsonObject } from '../shared/json';
import type { ProviderEndpoint } from './endpoint';
import { messageText } from './messageText';
import { ProviderError } from './providerError';
import type { ChatRequest, ChatResult, HttpRequest } from './types';

/** POST {baseUrl}/chat/completions, as OpenAI, Azure-style gateways, Groq, Mistral, OpenRouter, Ollama, vLLM and LM Studio take it. */
export function buildOpenAiRequest(request: ChatRequest, endpoint: ProviderEndpoint): HttpRequest {
	const messages: JsonObject[] = [];
	if (request.system) messages.push({ role: 'system', content: request.system });
	for (const message of request.messages) messages.push(message as JsonObject);
	const body: JsonObject = { model: request.model, messages };
	if (request.temperature !== undefined) body.temperature = request.temperature;
	if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
	if (request.topP !== undefined) body.top_p = request.topP;
	if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
	if (request.seed !== undefined) body.seed = request.seed;
	if (request.responseFormat === 'json') body.response_format = { type: 'json_object' };
	Object.assign(body, request.extraBody);
	return { url: `${endpoint.baseUrl}/chat/completions`, headers: { 'content-type': 'application/json', ...endpoint.authHeaders }, body };
}

function count(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

export function parseOpenAiResponse(body: unknown): ChatResult {
	const choice = isPlainObject(body) && Array.isArray(body.choices) ? body.choices[0] : undefined;
	if (!isPlainObject(choice) || !isPlainObject(choice.message)) {
		throw new ProviderError({ status: 200, code: 'malformed_response', providerMessage: 'the response has no choices[0].message' });
	}
	const usage = isPlainObject(body) && isPlainObject(body.usage) ? body.usage : {};
	const details = isPlainObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
	const toolCalls = choice.message.tool_calls;
	return {
		text: messageText({ content: choice.message.content as ChatResult['text'] | null }),
		finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
		usage: {
			input: count(usage.prompt_tokens),
			output: count(usage.completion_tokens),
			cachedInput: count(details.cached_tokens),
			cacheWrite: 0,
		},
		hasToolCalls: Array.isArray(toolCalls) && toolCalls.length > 0,
		raw: body,
	};
}

/** `{error: {message, type, code}}`, or whatever text the server sent. */
export function parseOpenAiError(bodyText: string): { message: string; code?: string } {
	try {
		const body = JSON.parse(bodyText) as unknown;
		const error = isPlainObject(body) ? body.error : undefined;
		if (isPlainObject(error) && typeof error.message === 'string') {
			const code = typeof error.code === 'string' ? error.code : typeof error.type === 'string' ? error.type : undefined;
			return { message: error.message, code };
		}
		if (isPlainObject(body) && typeof body.message === 'string') return { message: body.message };
	} catch {
		// not JSON: fall through to the raw text
	}
	return { message: bodyText.slice(0, 300) || 'no error message' };
}
