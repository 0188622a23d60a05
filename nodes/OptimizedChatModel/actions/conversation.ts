import type { ContentFile, FinishReason, GenerateResult, Message, MessageContent, Tool } from '@n8n/ai-node-sdk';
import { getParametersJsonSchema } from '@n8n/ai-node-sdk';
import type { AiCallOutcome } from '../../../lib/aiCall';
import type { ChatMessage, ChatRequest, ChatTool, ProviderKind } from '../../../lib/providers';
import { toolCallOf } from '../../../lib/providers';
import { isPlainObject, type JsonObject } from '../../../lib/shared/json';

/** The model's own parameters (the sub-node's Options); left out of the request when not set. */
export interface ModelParameters {
	model: string;
	temperature?: number;
	maxTokens?: number;
	topP?: number;
}

/** A conversation the provider cannot be sent (an unsupported part or tool): the message says which and why. */
export class ConversationError extends Error {
	override name = 'ConversationError';
	readonly errorClass = 'validation' as const;
}

/**
 * The agent's conversation as the provider-neutral request both AI nodes send: system messages become the system
 * prompt, assistant tool calls and tool results their neutral forms (each provider's adapter writes its own wire
 * format), the tools their JSON schemas. Everything that can change the answer is in the request, so the cache key
 * (built from the request) covers the whole conversation, the tool definitions and the parameters.
 */
export function chatRequestOf(messages: Message[], tools: Tool[], parameters: ModelParameters, provider: ProviderKind): ChatRequest {
	const system: string[] = [];
	const conversation: ChatMessage[] = [];
	for (const message of messages) {
		if (message.role === 'system') system.push(textOf(message.content));
		else if (message.role === 'assistant') conversation.push(assistantMessage(message.content));
		else if (message.role === 'tool') conversation.push(...toolResults(message.content));
		else conversation.push({ role: 'user', content: userContent(message.content, provider) });
	}
	const request: ChatRequest = { model: parameters.model, messages: conversation, responseFormat: 'text' };
	if (system.length > 0) request.system = system.join('\n\n');
	if (parameters.temperature !== undefined) request.temperature = parameters.temperature;
	if (parameters.maxTokens !== undefined) request.maxTokens = parameters.maxTokens;
	if (parameters.topP !== undefined) request.topP = parameters.topP;
	if (tools.length > 0) {
		request.tools = tools.map(chatToolOf);
		request.toolChoice = 'auto';
	}
	return request;
}

function textOf(content: MessageContent[]): string {
	return content
		.filter((part) => part.type === 'text')
		.map((part) => (part as { text: string }).text)
		.join('\n');
}

function assistantMessage(content: MessageContent[]): ChatMessage {
	const toolCalls = content.flatMap((part) => {
		if (part.type === 'tool-call') return [toolCallOf(part.toolCallId ?? '', part.toolName, part.input)];
		if (part.type === 'invalid-tool-call') return [toolCallOf(part.toolCallId ?? '', part.name ?? '', part.args ?? '')];
		return [];
	});
	// Reasoning parts are the model's own notes; providers do not take them back as input in this form.
	const text = textOf(content);
	if (toolCalls.length === 0) return { role: 'assistant', content: text };
	return { role: 'assistant', content: text === '' ? null : text, toolCalls };
}

/** One neutral tool message per result; Anthropic's adapter merges consecutive ones into one user turn. */
function toolResults(content: MessageContent[]): ChatMessage[] {
	return content
		.filter((part) => part.type === 'tool-result')
		.map((part) => {
			const result = part as { toolCallId: string; result: unknown };
			return { role: 'tool', toolCallId: result.toolCallId, content: resultText(result.result) };
		});
}

/** A tool's result as text: as given when it is text, the texts of content parts, else its JSON. */
function resultText(result: unknown): string {
	if (typeof result === 'string') return result;
	if (Array.isArray(result) && result.every((part) => isPlainObject(part) && part.type === 'text' && typeof part.text === 'string')) {
		return result.map((part) => (part as { text: string }).text).join('\n');
	}
	return JSON.stringify(result ?? null);
}

/** A user turn: plain text, or text and images in the provider's own part format. */
function userContent(content: MessageContent[], provider: ProviderKind): string | JsonObject[] {
	const files = content.filter((part): part is ContentFile => part.type === 'file');
	if (files.length === 0) return textOf(content);
	const parts: JsonObject[] = [];
	for (const part of content) {
		if (part.type === 'text') parts.push({ type: 'text', text: part.text });
		else if (part.type === 'file') parts.push(imagePart(part, provider));
	}
	return parts;
}

function imagePart(file: ContentFile, provider: ProviderKind): JsonObject {
	const mediaType = file.mediaType ?? '';
	if (!mediaType.startsWith('image/')) {
		throw new ConversationError(`Optimized Chat Model sends images only; the conversation holds a file of type "${mediaType || 'unknown'}"`);
	}
	const data = typeof file.data === 'string' ? file.data : Buffer.from(file.data).toString('base64');
	if (provider === 'anthropic') return { type: 'image', source: { type: 'base64', media_type: mediaType, data } };
	return { type: 'image_url', image_url: { url: `data:${mediaType};base64,${data}` } };
}

function chatToolOf(tool: Tool): ChatTool {
	if (tool.type !== 'function') {
		throw new ConversationError(`The tool "${tool.name}" is a provider-side tool, which Optimized Chat Model does not send; use a tool node instead`);
	}
	const schema = getParametersJsonSchema(tool) as unknown;
	if (!isPlainObject(schema) || '_def' in schema) {
		throw new ConversationError(`The parameters of the tool "${tool.name}" could not be turned into a JSON schema`);
	}
	// The schema's dialect marker is not a parameter; providers reject or ignore it.
	const { $schema: _dialect, ...parameters } = schema as JsonObject;
	const chatTool: ChatTool = { name: tool.name, parameters };
	if (tool.description) chatTool.description = tool.description;
	return chatTool;
}

/** The engine's finish reasons (OpenAI's names, Anthropic's mapped to them) as the SDK names them. */
export function finishReasonOf(finishReason: string | null): FinishReason {
	switch (finishReason) {
		case 'stop':
			return 'stop';
		case 'length':
			return 'length';
		case 'content_filter':
			return 'content-filter';
		case 'tool_calls':
			return 'tool-calls';
		default:
			return 'other';
	}
}

/**
 * The tokens this call spent: the provider's count for a call that reached it, none for an answer served from the
 * cache or shared with an identical call (what that saved is in the call's log entry and in Perf Monitor).
 */
export function spentUsage(outcome: AiCallOutcome): NonNullable<GenerateResult['usage']> {
	const spent = outcome.attempts > 0;
	const promptTokens = spent ? outcome.usage.input : 0;
	const completionTokens = spent ? outcome.usage.output : 0;
	const usage: NonNullable<GenerateResult['usage']> = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
	if (spent && outcome.usage.cachedInput > 0) usage.inputTokenDetails = { cacheRead: outcome.usage.cachedInput };
	return usage;
}

/** The answer as the SDK's result: its text and its tool calls (arguments as the model wrote them). */
export function generateResultOf(outcome: AiCallOutcome): GenerateResult {
	const content: MessageContent[] = [];
	if (outcome.text !== '') content.push({ type: 'text', text: outcome.text });
	for (const call of outcome.toolCalls) {
		content.push({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.argumentsText.trim() === '' ? '{}' : call.argumentsText });
	}
	return {
		finishReason: finishReasonOf(outcome.finishReason),
		message: { role: 'assistant', content },
		usage: spentUsage(outcome),
	};
}
