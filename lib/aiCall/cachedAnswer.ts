import type { ChatUsage } from '../providers';
import { isPlainObject, type JsonValue } from '../shared/json';

/** What the response cache keeps per request: enough to answer again and to say what the hit saved. */
export interface CachedAnswer {
	text: string;
	/** The parsed answer in JSON mode. */
	json?: JsonValue;
	finishReason: string | null;
	usage: ChatUsage;
	/** What the original call cost; null when the model's price is unknown. */
	costUsd: number | null;
	tokensBefore: number;
	tokensAfter: number;
	/** The start of the prompt, so a near-duplicate hit can say which earlier prompt it reused. */
	promptPreview: string;
}

export function toCacheValue(answer: CachedAnswer): JsonValue {
	return answer as unknown as JsonValue;
}

/** Reads a cached value back; anything that is not a well-formed answer counts as a miss. */
export function fromCacheValue(value: JsonValue): CachedAnswer | undefined {
	if (!isPlainObject(value) || typeof value.text !== 'string' || !isPlainObject(value.usage)) return undefined;
	return value as unknown as CachedAnswer;
}
