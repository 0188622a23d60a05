import { compressText, type CompressionMode } from '../compression';
import type { ChatMessage, ChatRequest } from '../providers';
import type { JsonObject } from '../shared/json';
import { WorkSlicer } from '../shared/yieldToEventLoop';

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
 * touched; roles, names, tool fields and non-text parts (images) pass through unchanged. Each text is at most
 * {@link MAX_COMPRESSED_CHARS} of work; between texts the event loop gets a turn when the time slice is up, so a
 * request of many long messages does not run as one block either.
 */
export async function compressRequest(request: ChatRequest, mode: CompressionMode, slicer = new WorkSlicer()): Promise<CompressedRequest> {
	const before: string[] = [];
	const after: string[] = [];
	const compress = async (text: string): Promise<string> => {
		const compressible = mode !== 'off' && text.length <= MAX_COMPRESSED_CHARS;
		if (compressible) await slicer.maybeYield();
		const result = compressible ? compressText(text, mode).text : text;
		before.push(text);
		after.push(result);
		return result;
	};
	const system = request.system === undefined ? undefined : await compress(request.system);
	const messages: ChatMessage[] = [];
	for (const message of request.messages) {
		if (typeof message.content === 'string') {
			messages.push({ ...message, content: await compress(message.content) });
		} else if (!Array.isArray(message.content)) {
			messages.push(message);
		} else {
			const content: JsonObject[] = [];
			for (const part of message.content) {
				content.push(part && part.type === 'text' && typeof part.text === 'string' ? { ...part, text: await compress(part.text) } : part);
			}
			messages.push({ ...message, content });
		}
	}
	return { request: { ...request, system, messages }, textBefore: before.join('\n'), textAfter: after.join('\n') };
}
