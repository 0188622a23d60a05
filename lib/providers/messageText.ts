import type { ChatMessage } from './types';

/** The text of a message: its string content, or its text parts joined by newlines. */
export function messageText(message: Pick<ChatMessage, 'content'>): string {
	const { content } = message;
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((part) => (part && typeof part === 'object' && typeof part.text === 'string' ? part.text : ''))
		.filter((text) => text.length > 0)
		.join('\n');
}
