import { isPlainObject, type JsonObject } from '../shared/json';
import type { ChatToolCall } from './types';

/** A tool call from its parts; the arguments are parsed here once, so every consumer sees the same object. */
export function toolCallOf(id: string, name: string, argumentsText: string): ChatToolCall {
	return { id, name, arguments: parseArguments(argumentsText), argumentsText };
}

/** Models may write no arguments at all (an empty string means `{}`), or broken JSON (null: the caller decides). */
function parseArguments(text: string): JsonObject | null {
	if (text.trim() === '') return {};
	try {
		const parsed = JSON.parse(text) as unknown;
		return isPlainObject(parsed) ? (parsed as JsonObject) : null;
	} catch {
		return null;
	}
}
