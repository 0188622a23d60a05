import { compressText, type CompressionMode } from '../compression';
import type { ChatMessage, ChatRequest } from '../providers';
import type { JsonObject } from '../shared/json';

export interface CompressedRequest {
	request: ChatRequest;
	/** All prompt text before and after compression, for token and byte counts. */
	textBefore: string;
	textAfter: string;
}

/**
 * Longest text that is compressed. Compression is linear but synchronous (about 100 ms per MB); a longer text is
 * sent as it is, so one huge prompt cannot hold n8n's event loop while it is rewritten.
 */
export const MAX_COMPRESSED_CHARS = 256 * 1024;

/**
 * Applies prompt compression to the system prompt and to every text content of every message. Only text is
 * touched; roles, names, tool fields and non-text parts (images) pass through unchanged.
 */
export function compressRequest(request: ChatRequest, mode: CompressionMode): CompressedRequest {
	const before: string[] = [];
	const after: string[] = [];
	const compress = (text: string): string => {
		const result = mode === 'off' || text.length > MAX_COMPRESSED_CHARS ? text : compressText(text, mode).text;
		before.push(text);
		after.push(result);
		return result;
	};
	const system = request.system === undefined ? undefined : compress(request.system);
	const messages = request.messages.map((message): ChatMessage => {
		if (typeof message.content === 'string') return { ...message, content: compress(message.content) };
		if (!Array.isArray(message.content)) return message;
		return {
			...message,
			content: message.content.map((part): JsonObject =>
				part && part.type === 'text' && typeof part.text === 'string' ? { ...part, text: compress(part.text) } : part,
			),
		};
	});
	return { request: { ...request, system, messages }, textBefore: before.join('\n'), textAfter: after.join('\n') };
}
