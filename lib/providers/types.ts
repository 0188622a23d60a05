import type { JsonObject } from '../shared/json';

export type ProviderKind = 'openAiCompatible' | 'anthropic';

/**
 * A chat message. Messages are sent as given (the provider's own wire shape, `content` text or a list of parts),
 * except for the two provider-neutral forms below, which each provider's adapter maps to its wire format:
 * - an assistant message with `toolCalls` (the calls the model made), `content` its text or null;
 * - a tool result: role `tool` with `toolCallId` (the call it answers) and the result as `content` text.
 */
export interface ChatMessage {
	role: string;
	content: string | JsonObject[] | null;
	/** Neutral: the tool calls of an assistant message. */
	toolCalls?: ChatToolCall[];
	/** Neutral: on a `tool` message, the id of the call this result answers. */
	toolCallId?: string;
	[field: string]: unknown;
}

/** A tool the model may call: JSON-schema parameters, as both providers take them. */
export interface ChatTool {
	name: string;
	description?: string;
	/** A JSON schema of the arguments, `{type: 'object', properties, required}`. */
	parameters: JsonObject;
}

/** Whether and which tool the model must call: `required` = some tool, `{name}` = that tool. */
export type ChatToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** One tool call of an answer, or of an assistant message sent back in a later turn. */
export interface ChatToolCall {
	id: string;
	name: string;
	/** The arguments parsed; null when the model's argument text is not a JSON object. */
	arguments: JsonObject | null;
	/** The arguments exactly as the model wrote them (OpenAI's string; Anthropic's input as JSON). */
	argumentsText: string;
}

/** Everything that goes into one chat completion, provider-neutral: where it goes is the client's endpoint. */
export interface ChatRequest {
	model: string;
	/** The system prompt; for OpenAI-compatible APIs sent as the first message, for Anthropic as `system`. */
	system?: string;
	/** Conversation without the system prompt. */
	messages: ChatMessage[];
	temperature?: number;
	maxTokens?: number;
	topP?: number;
	stop?: string[];
	seed?: number;
	responseFormat: 'text' | 'json';
	/** Provider-specific fields merged into the request body last (tools, reasoning settings, ...). */
	extraBody?: JsonObject;
	/** Tools the model may call, mapped to each provider's `tools`. */
	tools?: ChatTool[];
	/** Ignored without `tools`. */
	toolChoice?: ChatToolChoice;
	/** Anthropic only: mark the system prompt with `cache_control` so the provider caches that prefix. */
	cacheSystemPrompt?: boolean;
}

/** Token usage normalised across providers. `input` includes cached and cache-written input tokens. */
export interface ChatUsage {
	input: number;
	output: number;
	/** Input tokens the provider served from its prompt cache (cheaper). */
	cachedInput: number;
	/** Input tokens the provider wrote to its prompt cache (Anthropic; dearer). */
	cacheWrite: number;
}

export interface ChatResult {
	text: string;
	/** Normalised: `stop`, `length`, `content_filter`, `tool_calls`, or the provider's own value. */
	finishReason: string | null;
	usage: ChatUsage;
	hasToolCalls: boolean;
	/** The answer's tool calls, in order; empty when it calls none. */
	toolCalls: ChatToolCall[];
	/** The provider's response body, for users who ask for it (a streamed answer has none: `{streamed: true}`). */
	raw: unknown;
}

/** A ready-to-send HTTP request. Headers carry credentials: never log, cache or output them. */
export interface HttpRequest {
	url: string;
	headers: Record<string, string>;
	body: JsonObject;
}

/**
 * One piece of a streamed answer, provider-neutral. Tool-call pieces of the same call share `index`; `id` and
 * `name` come with a call's first piece. The stream ends with exactly one `finish`.
 */
export type ChatChunk =
	| { type: 'text'; delta: string }
	| { type: 'toolCall'; index: number; id?: string; name?: string; argumentsDelta: string }
	| { type: 'finish'; finishReason: string | null; usage: ChatUsage };

/** A piece of the answer itself: every chunk but the closing `finish`. */
export type ChatContentChunk = Exclude<ChatChunk, { type: 'finish' }>;
