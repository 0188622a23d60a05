/**
 * Server-sent events for the LLM stub: a complete answer, already in the provider's JSON shape, turned into the
 * frames the provider streams. Deriving the stream from the JSON answer keeps both modes in step (same text, same
 * tool calls, same usage).
 */

/** Pieces of text a consumer receives one by one; code points are never split. */
export function splitIntoPieces(text: string, count: number): string[] {
	const characters = Array.from(text);
	if (characters.length === 0) return [];
	const size = Math.ceil(characters.length / count);
	const pieces: string[] = [];
	for (let start = 0; start < characters.length; start += size) pieces.push(characters.slice(start, start + size).join(''));
	return pieces;
}

const TEXT_PIECES = 4;
const ARGUMENT_PIECES = 3;

const dataFrame = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;
const eventFrame = (payload: { type: string; [field: string]: unknown }) => `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;

/** OpenAI chat.completion.chunk frames, usage last when the request set stream_options.include_usage, then [DONE]. */
export function openAiStreamFrames(completion: any, includeUsage: boolean): string[] {
	const choice = completion.choices[0];
	const message = choice.message;
	const chunk = (choices: unknown[], usage?: unknown) => ({
		id: completion.id,
		object: 'chat.completion.chunk',
		created: completion.created,
		model: completion.model,
		choices,
		// With include_usage, OpenAI sends usage: null on every chunk but the last.
		...(includeUsage ? { usage: usage ?? null } : {}),
	});
	const delta = (fields: Record<string, unknown>, finishReason: string | null = null) =>
		chunk([{ index: 0, delta: fields, logprobs: null, finish_reason: finishReason }]);

	const frames: string[] = [];
	const toolCalls: any[] = message.tool_calls ?? [];
	if (toolCalls.length === 0) {
		frames.push(dataFrame(delta({ role: 'assistant', content: '', refusal: null })));
		for (const piece of splitIntoPieces(message.content ?? '', TEXT_PIECES)) frames.push(dataFrame(delta({ content: piece })));
	} else {
		toolCalls.forEach((call, index) => {
			const opening = { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } };
			frames.push(dataFrame(delta(index === 0 ? { role: 'assistant', content: null, tool_calls: [opening] } : { tool_calls: [opening] })));
			for (const piece of splitIntoPieces(call.function.arguments, ARGUMENT_PIECES)) {
				frames.push(dataFrame(delta({ tool_calls: [{ index, function: { arguments: piece } }] })));
			}
		});
	}
	frames.push(dataFrame(delta({}, choice.finish_reason)));
	if (includeUsage) frames.push(dataFrame(chunk([], completion.usage)));
	frames.push('data: [DONE]\n\n');
	return frames;
}

/** Anthropic message_start … message_stop events, with text_delta and input_json_delta pieces. */
export function anthropicStreamFrames(message: any): string[] {
	const { output_tokens: outputTokens, ...inputUsage } = message.usage;
	const frames = [
		eventFrame({
			type: 'message_start',
			message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...inputUsage, output_tokens: 1 } },
		}),
	];
	message.content.forEach((block: any, index: number) => {
		if (block.type === 'tool_use') {
			frames.push(eventFrame({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }));
			for (const piece of splitIntoPieces(JSON.stringify(block.input), ARGUMENT_PIECES)) {
				frames.push(eventFrame({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }));
			}
		} else {
			frames.push(eventFrame({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
			for (const piece of splitIntoPieces(block.text, TEXT_PIECES)) {
				frames.push(eventFrame({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }));
			}
		}
		frames.push(eventFrame({ type: 'content_block_stop', index }));
	});
	frames.push(
		eventFrame({ type: 'message_delta', delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: outputTokens } }),
		eventFrame({ type: 'message_stop' }),
	);
	return frames;
}
