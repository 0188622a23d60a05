import { StreamedAnswer, type ChatClient, type ChatContentChunk, type ChatRequest, type ChatResult, type ChatToolCall } from '../providers';

/** Whether a streamed call has handed any of its answer to the consumer: from then on it must not be retried. */
export interface StreamProgress {
	forwarded: boolean;
}

/**
 * One streamed provider call: each text and tool-call piece goes to `onChunk` as it arrives, and the pieces are
 * folded into the ChatResult `send` would have returned. A stream cut off mid-way throws (StreamedAnswer never
 * passes a partial answer for a whole one).
 */
export async function streamAnswer(
	client: Pick<ChatClient, 'stream'>,
	request: ChatRequest,
	signal: AbortSignal | undefined,
	onChunk: (chunk: ChatContentChunk) => void,
	progress: StreamProgress,
): Promise<ChatResult> {
	const answer = new StreamedAnswer();
	for await (const chunk of client.stream(request, signal)) {
		answer.add(chunk);
		if (chunk.type === 'finish') continue;
		// Set before handing it over: a consumer that throws on a piece has still seen it.
		progress.forwarded = true;
		onChunk(chunk);
	}
	return answer.result();
}

/**
 * A stored answer played back as a stream: its text as one piece, then each tool call whole, in order, so that
 * folding what `onChunk` received gives the same text and tool calls as the original stream.
 */
export function replayAnswer(answer: { text: string; toolCalls?: ChatToolCall[] }, onChunk: (chunk: ChatContentChunk) => void): void {
	if (answer.text !== '') onChunk({ type: 'text', delta: answer.text });
	(answer.toolCalls ?? []).forEach((call, index) => {
		onChunk({ type: 'toolCall', index, id: call.id, name: call.name, argumentsDelta: call.argumentsText });
	});
}
