import type { JsonObject } from '../shared/json';

export type ProviderKind = 'openAiCompatible' | 'anthropic';

/** A chat message as the OpenAI and Anthropic APIs take it; `content` may be text or a list of parts. */
export interface ChatMessage {
	role: string;
	content: string | JsonObject[] | null;
	[field: string]: unknown;
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
	/** The provider's response body, for users who ask for it. */
	raw: unknown;
}

/** A ready-to-send HTTP request. Headers carry credentials: never log, cache or output them. */
export interface HttpRequest {
	url: string;
	headers: Record<string, string>;
	body: JsonObject;
}
