import { isPlainObject, type JsonObject } from '../shared/json';
import { endpointUrl, type ProviderEndpoint } from './endpoint';
import { messageText } from './messageText';
import { ProviderError } from './providerError';
import { sseJson } from './sseEvents';
import { toolCallOf } from './toolCall';
import type { ChatChunk, ChatMessage, ChatRequest, ChatResult, ChatToolChoice, ChatUsage, HttpRequest } from './types';

/** POST {baseUrl}/chat/completions, as OpenAI, Azure-style gateways, Groq, Mistral, OpenRouter, Ollama, vLLM and LM Studio take it. */
export function buildOpenAiRequest(request: ChatRequest, endpoint: ProviderEndpoint, stream = false): HttpRequest {
	const messages: JsonObject[] = [];
	if (request.system) messages.push({ role: 'system', content: request.system });
	for (const message of request.messages) messages.push(openAiMessage(message));
	const body: JsonObject = { model: request.model, messages };
	if (request.temperature !== undefined) body.temperature = request.temperature;
	if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
	if (request.topP !== undefined) body.top_p = request.topP;
	if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
	if (request.seed !== undefined) body.seed = request.seed;
	if (request.responseFormat === 'json') body.response_format = { type: 'json_object' };
	if (request.tools !== undefined && request.tools.length > 0) {
		body.tools = request.tools.map((tool) => ({
			type: 'function',
			function: { name: tool.name, ...(tool.description !== undefined ? { description: tool.description } : {}), parameters: tool.parameters },
		}));
		if (request.toolChoice !== undefined) body.tool_choice = openAiToolChoice(request.toolChoice);
	}
	if (stream) {
		body.stream = true;
		// Without it the stream carries no token counts, and a streamed answer could not be billed like a sent one.
		body.stream_options = { include_usage: true };
	}
	Object.assign(body, request.extraBody);
	return { url: endpointUrl(endpoint, 'chat'), headers: { 'content-type': 'application/json', ...endpoint.authHeaders }, body };
}

/** Neutral tool calls and tool results in OpenAI's shape; every other message goes as given. */
function openAiMessage(message: ChatMessage): JsonObject {
	const { toolCalls, toolCallId, ...wire } = message;
	if (message.role === 'tool' && toolCallId !== undefined) return { ...wire, tool_call_id: toolCallId } as JsonObject;
	if (toolCalls === undefined || toolCalls.length === 0) return message as JsonObject;
	return {
		...wire,
		tool_calls: toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.argumentsText } })),
	} as JsonObject;
}

function openAiToolChoice(choice: ChatToolChoice): JsonObject[string] {
	return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function count(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

export function parseOpenAiResponse(body: unknown): ChatResult {
	const choice = isPlainObject(body) && Array.isArray(body.choices) ? body.choices[0] : undefined;
	if (!isPlainObject(choice) || !isPlainObject(choice.message)) {
		throw new ProviderError({ status: 200, code: 'malformed_response', providerMessage: 'the response has no choices[0].message' });
	}
	const toolCalls = (Array.isArray(choice.message.tool_calls) ? choice.message.tool_calls : []).filter(isPlainObject).map((call) => {
		const fn = isPlainObject(call.function) ? call.function : {};
		return toolCallOf(String(call.id ?? ''), String(fn.name ?? ''), typeof fn.arguments === 'string' ? fn.arguments : '');
	});
	return {
		text: messageText({ content: choice.message.content as ChatResult['text'] | null }),
		finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
		usage: openAiUsage(isPlainObject(body) ? body.usage : undefined),
		hasToolCalls: toolCalls.length > 0,
		toolCalls,
		raw: body,
	};
}

function openAiUsage(value: unknown): ChatUsage {
	const usage = isPlainObject(value) ? value : {};
	const details = isPlainObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
	return { input: count(usage.prompt_tokens), output: count(usage.completion_tokens), cachedInput: count(details.cached_tokens), cacheWrite: 0 };
}

/**
 * Reads OpenAI's chat.completion.chunk events: content deltas, tool-call deltas, the finish reason, then (with
 * include_usage) a usage chunk, then `[DONE]`. Only `[DONE]` completes the answer.
 */
export function openAiStreamDecoder(redact: (text: string) => string) {
	let finishReason: string | null = null;
	let usage: unknown;
	let done = false;
	return {
		get complete(): boolean {
			return done;
		},
		read(data: string): ChatChunk[] {
			if (done) return [];
			if (data.trim() === '[DONE]') {
				done = true;
				return [{ type: 'finish', finishReason, usage: openAiUsage(usage) }];
			}
			const chunk = sseJson(data);
			if (isPlainObject(chunk.error)) {
				const error = chunk.error;
				throw new ProviderError({
					code: typeof error.code === 'string' ? error.code : typeof error.type === 'string' ? error.type : 'stream_error',
					providerMessage: redact(typeof error.message === 'string' ? error.message : 'the provider reported an error mid-stream'),
					networkError: true,
				});
			}
			if (isPlainObject(chunk.usage)) usage = chunk.usage;
			const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
			if (!isPlainObject(choice)) return [];
			if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
			const delta = isPlainObject(choice.delta) ? choice.delta : {};
			const out: ChatChunk[] = [];
			if (typeof delta.content === 'string' && delta.content !== '') out.push({ type: 'text', delta: delta.content });
			for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls.filter(isPlainObject) : []) {
				const fn = isPlainObject(call.function) ? call.function : {};
				out.push({
					type: 'toolCall',
					index: typeof call.index === 'number' ? call.index : 0,
					...(typeof call.id === 'string' ? { id: call.id } : {}),
					...(typeof fn.name === 'string' ? { name: fn.name } : {}),
					argumentsDelta: typeof fn.arguments === 'string' ? fn.arguments : '',
				});
			}
			return out;
		},
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
