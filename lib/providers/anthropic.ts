import { isPlainObject, type JsonObject } from '../shared/json';
import { endpointUrl, type ProviderEndpoint } from './endpoint';
import { messageText } from './messageText';
import { ProviderError } from './providerError';
import { sseJson } from './sseEvents';
import { toolCallOf } from './toolCall';
import type { ChatChunk, ChatMessage, ChatRequest, ChatResult, ChatToolChoice, ChatUsage, HttpRequest } from './types';

/** Anthropic requires `max_tokens`; used when the node leaves it empty. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;

const STOP_REASONS: Record<string, string> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls' };

/** POST {baseUrl}/v1/messages. System messages inside the conversation move to `system`, where Anthropic wants them. */
export function buildAnthropicRequest(request: ChatRequest, endpoint: ProviderEndpoint, stream = false): HttpRequest {
	const systemTexts = request.system ? [request.system] : [];
	const messages: JsonObject[] = [];
	for (const message of request.messages) {
		if (message.role === 'system') systemTexts.push(messageText(message));
		else appendAnthropicMessage(messages, message);
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
	if (request.tools !== undefined && request.tools.length > 0) {
		body.tools = request.tools.map((tool) => ({
			name: tool.name,
			...(tool.description !== undefined ? { description: tool.description } : {}),
			input_schema: tool.parameters,
		}));
		if (request.toolChoice !== undefined) body.tool_choice = anthropicToolChoice(request.toolChoice);
	}
	if (stream) body.stream = true;
	Object.assign(body, request.extraBody);
	return { url: endpointUrl(endpoint, 'chat'), headers: { 'content-type': 'application/json', ...endpoint.authHeaders }, body };
}

/**
 * Neutral tool calls become `tool_use` blocks after the message's text; a neutral tool result becomes a
 * `tool_result` block in a user message, and consecutive results share one user message, as Anthropic requires
 * every result of one assistant turn in the very next message. Every other message goes as given.
 */
function appendAnthropicMessage(messages: JsonObject[], message: ChatMessage): void {
	const { toolCalls, toolCallId, ...wire } = message;
	if (message.role === 'tool' && toolCallId !== undefined) {
		const block: JsonObject = { type: 'tool_result', tool_use_id: toolCallId, content: message.content ?? '' };
		const last = messages.length - 1;
		const previous = messages[last];
		// A copy, never a push: the previous message may be the caller's own object.
		if (previous?.role === 'user' && Array.isArray(previous.content) && previous.content.every(isToolResult)) {
			messages[last] = { ...previous, content: [...previous.content, block] };
		} else messages.push({ role: 'user', content: [block] });
		return;
	}
	if (toolCalls === undefined || toolCalls.length === 0) {
		messages.push(message as JsonObject);
		return;
	}
	const text = messageText(message);
	const blocks: JsonObject[] = text === '' ? [] : [{ type: 'text', text }];
	for (const call of toolCalls) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments ?? {} });
	messages.push({ ...wire, content: blocks } as JsonObject);
}

/** A call with no input streams no JSON at all; `send` sees `{}` there. Text that is not JSON stays as it came. */
function compactJson(text: string): string {
	if (text.trim() === '') return '{}';
	try {
		return JSON.stringify(JSON.parse(text));
	} catch {
		return text;
	}
}

function isToolResult(block: unknown): boolean {
	return isPlainObject(block) && block.type === 'tool_result';
}

function anthropicToolChoice(choice: ChatToolChoice): JsonObject {
	if (typeof choice !== 'string') return { type: 'tool', name: choice.name };
	return { type: choice === 'required' ? 'any' : choice };
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
	const toolCalls = blocks
		.filter((block) => block.type === 'tool_use')
		.map((block) => toolCallOf(String(block.id ?? ''), String(block.name ?? ''), JSON.stringify(block.input ?? {})));
	return {
		text,
		finishReason: finishReasonOf(body.stop_reason),
		usage: anthropicUsage(isPlainObject(body.usage) ? body.usage : {}),
		hasToolCalls: toolCalls.length > 0,
		toolCalls,
		raw: body,
	};
}

function finishReasonOf(stopReason: unknown): string | null {
	return typeof stopReason === 'string' ? (STOP_REASONS[stopReason] ?? stopReason) : null;
}

function anthropicUsage(usage: Record<string, unknown>): ChatUsage {
	const cachedInput = count(usage.cache_read_input_tokens);
	const cacheWrite = count(usage.cache_creation_input_tokens);
	// Anthropic's input_tokens exclude cache reads and writes; ours include them.
	return { input: count(usage.input_tokens) + cachedInput + cacheWrite, output: count(usage.output_tokens), cachedInput, cacheWrite };
}

/**
 * Reads Anthropic's message events: message_start (input usage), content blocks (text_delta, input_json_delta),
 * message_delta (stop reason, output usage), message_stop. Only message_stop completes the answer. Tool calls are
 * numbered among tool calls, not among content blocks, so their indexes match OpenAI's.
 */
export function anthropicStreamDecoder(redact: (text: string) => string) {
	const usage: Record<string, unknown> = {};
	let stopReason: unknown = null;
	let done = false;
	/** Content-block index → tool-call index and the input JSON received so far. */
	const toolBlocks = new Map<number, { index: number; json: string }>();
	return {
		get complete(): boolean {
			return done;
		},
		read(data: string): ChatChunk[] {
			if (done) return [];
			const event = sseJson(data);
			const blockIndex = typeof event.index === 'number' ? event.index : -1;
			switch (event.type) {
				case 'message_start': {
					const message = isPlainObject(event.message) ? event.message : {};
					Object.assign(usage, isPlainObject(message.usage) ? message.usage : {});
					return [];
				}
				case 'content_block_start': {
					const block = isPlainObject(event.content_block) ? event.content_block : {};
					if (block.type === 'tool_use') {
						const index = toolBlocks.size;
						toolBlocks.set(blockIndex, { index, json: '' });
						return [{ type: 'toolCall', index, id: String(block.id ?? ''), name: String(block.name ?? ''), argumentsDelta: '' }];
					}
					return block.type === 'text' && typeof block.text === 'string' && block.text !== '' ? [{ type: 'text', delta: block.text }] : [];
				}
				case 'content_block_delta': {
					const delta = isPlainObject(event.delta) ? event.delta : {};
					if (delta.type === 'text_delta' && typeof delta.text === 'string') return [{ type: 'text', delta: delta.text }];
					const tool = toolBlocks.get(blockIndex);
					if (delta.type === 'input_json_delta' && tool && typeof delta.partial_json === 'string') tool.json += delta.partial_json;
					return [];
				}
				case 'content_block_stop': {
					// A call's input goes out whole, written as `send` writes it (JSON.stringify of the input), so a streamed
					// call has the very argument text of a sent one, and the next turn's cache key does not depend on the mode.
					const tool = toolBlocks.get(blockIndex);
					return tool ? [{ type: 'toolCall', index: tool.index, argumentsDelta: compactJson(tool.json) }] : [];
				}
				case 'message_delta': {
					const delta = isPlainObject(event.delta) ? event.delta : {};
					if (delta.stop_reason !== undefined) stopReason = delta.stop_reason;
					Object.assign(usage, isPlainObject(event.usage) ? event.usage : {});
					return [];
				}
				case 'message_stop':
					done = true;
					return [{ type: 'finish', finishReason: finishReasonOf(stopReason), usage: anthropicUsage(usage) }];
				case 'error': {
					const error = isPlainObject(event.error) ? event.error : {};
					throw new ProviderError({
						code: typeof error.type === 'string' ? error.type : 'stream_error',
						providerMessage: redact(typeof error.message === 'string' ? error.message : 'the provider reported an error mid-stream'),
						networkError: true,
					});
				}
				default:
					return [];
			}
		},
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
