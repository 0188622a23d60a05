import { toolCallOf } from './toolCall';
import type { ChatChunk, ChatResult, ChatUsage } from './types';

/**
 * Folds the chunks of a streamed answer into the ChatResult `send` would have returned for it, so a streamed
 * answer is cached, priced and reported exactly like one that was sent whole. Feed it every chunk in order.
 */
export class StreamedAnswer {
	private text = '';
	private readonly calls: Array<{ id: string; name: string; argumentsText: string }> = [];
	private finish: { finishReason: string | null; usage: ChatUsage } | undefined;

	add(chunk: ChatChunk): void {
		if (chunk.type === 'text') this.text += chunk.delta;
		else if (chunk.type === 'finish') this.finish = { finishReason: chunk.finishReason, usage: chunk.usage };
		else {
			const call = (this.calls[chunk.index] ??= { id: '', name: '', argumentsText: '' });
			if (chunk.id !== undefined) call.id = chunk.id;
			if (chunk.name !== undefined) call.name = chunk.name;
			call.argumentsText += chunk.argumentsDelta;
		}
	}

	/** The whole answer; throws while the stream has not finished, since a partial answer must never pass for one. */
	result(): ChatResult {
		if (this.finish === undefined) throw new Error('The streamed answer is not complete: it has no finish chunk');
		// Indexes may skip (a provider numbering calls among all content blocks): keep the calls in order, no holes.
		const toolCalls = this.calls.filter(Boolean).map((call) => toolCallOf(call.id, call.name, call.argumentsText));
		return {
			text: this.text,
			finishReason: this.finish.finishReason,
			usage: { ...this.finish.usage },
			hasToolCalls: toolCalls.length > 0,
			toolCalls,
			raw: { streamed: true },
		};
	}
}

/** Reads a whole stream and folds it: what a caller that streams but needs the complete answer uses. */
export async function foldChatStream(chunks: AsyncIterable<ChatChunk>): Promise<ChatResult> {
	const answer = new StreamedAnswer();
	for await (const chunk of chunks) answer.add(chunk);
	return answer.result();
}
