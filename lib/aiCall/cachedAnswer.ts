import { toolCallOf, type ChatToolCall, type ChatUsage } from '../providers';
import { isPlainObject, type JsonValue } from '../shared/json';

/**
 * - `exact`: the o200k tokenizer counted the prompt.
 * - `estimated`: the prompt was too long, or had a run without spaces too long, to count exactly without holding
 *   n8n's event loop; the count comes from character classes in linear time.
 * - `provider`: the provider's own prompt count (no count was needed before the call).
 */
export type TokenCountSource = 'exact' | 'estimated' | 'provider';

/** What the response cache keeps per request: enough to answer again and to say what the hit saved. */
export interface CachedAnswer {
	text: string;
	/** The parsed answer in JSON mode. */
	json?: JsonValue;
	finishReason: string | null;
	/** The answer's tool calls, in order; present only when it makes some. */
	toolCalls?: ChatToolCall[];
	usage: ChatUsage;
	/** What the original call cost; null when the model's price is unknown. */
	costUsd: number | null;
	tokensBefore: number;
	tokensAfter: number;
	/** Where `tokensBefore` and `tokensAfter` come from; absent in entries stored before it existed (then `exact`). */
	tokenCount?: TokenCountSource;
	/** The start of the prompt, so a near-duplicate hit can say which earlier prompt it reused. */
	promptPreview: string;
}

export function toCacheValue(answer: CachedAnswer): JsonValue {
	return answer as unknown as JsonValue;
}

/** Reads a cached value back; anything that is not a well-formed answer counts as a miss. */
export function fromCacheValue(value: JsonValue): CachedAnswer | undefined {
	if (!isPlainObject(value) || typeof value.text !== 'string' || !isPlainObject(value.usage)) return undefined;
	if (value.toolCalls === undefined) return value as unknown as CachedAnswer;
	const toolCalls = toolCallsOf(value.toolCalls);
	return toolCalls === undefined ? undefined : ({ ...value, toolCalls } as unknown as CachedAnswer);
}

/**
 * Stored tool calls, rebuilt from their id, name and argument text (the parsed arguments follow from the text, as
 * for a fresh answer); undefined when any call lacks one of the three strings.
 */
function toolCallsOf(value: unknown): ChatToolCall[] | undefined {
	if (!Array.isArray(value)) return undefined;
	const calls: ChatToolCall[] = [];
	for (const call of value) {
		if (!isPlainObject(call) || typeof call.id !== 'string' || typeof call.name !== 'string' || typeof call.argumentsText !== 'string') return undefined;
		calls.push(toolCallOf(call.id, call.name, call.argumentsText));
	}
	return calls;
}
