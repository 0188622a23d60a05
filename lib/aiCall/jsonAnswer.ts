import type { JsonValue } from '../shared/json';

export class InvalidJsonAnswerError extends Error {
	override name = 'InvalidJsonAnswerError';
	readonly errorClass = 'validation' as const;
	readonly description: string;
	constructor(
		readonly answerPreview: string,
		readonly truncated: boolean,
	) {
		super(
			truncated
				? 'The model was asked for JSON but its answer was cut off at the token limit and is not valid JSON'
				: 'The model was asked for JSON but its answer is not valid JSON',
		);
		this.description = `The answer began: ${answerPreview}`;
	}
}

/**
 * Parses a JSON-mode answer. Models without a native JSON mode (Anthropic) often wrap JSON in a Markdown code
 * fence; one surrounding fence is accepted.
 */
export function parseJsonAnswer(text: string, finishReason: string | null = null): JsonValue {
	const trimmed = text.trim();
	const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(trimmed);
	try {
		return JSON.parse(fenced ? fenced[1] : trimmed) as JsonValue;
	} catch {
		throw new InvalidJsonAnswerError(trimmed.slice(0, 200), finishReason === 'length');
	}
}
