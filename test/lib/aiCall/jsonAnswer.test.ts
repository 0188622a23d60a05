import { InvalidJsonAnswerError, parseJsonAnswer } from '../../../lib/aiCall';

function failureOf(run: () => unknown): InvalidJsonAnswerError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidJsonAnswerError);
		return error as InvalidJsonAnswerError;
	}
	throw new Error('expected the answer to be refused');
}

describe('parseJsonAnswer', () => {
	it('parses a plain JSON answer', () => {
		expect(parseJsonAnswer('{"city":"Paris","population":2102650}')).toEqual({ city: 'Paris', population: 2102650 });
	});

	it('accepts surrounding whitespace and any JSON value', () => {
		expect(parseJsonAnswer('\n  [1, 2, 3]  \n')).toEqual([1, 2, 3]);
		expect(parseJsonAnswer('"text"')).toBe('text');
		expect(parseJsonAnswer('null')).toBeNull();
	});

	it('unwraps one ```json code fence', () => {
		expect(parseJsonAnswer('```json\n{"ok": true}\n```')).toEqual({ ok: true });
		expect(parseJsonAnswer('  ```JSON\n{"ok": true}\n```\n')).toEqual({ ok: true });
	});

	it('unwraps a fence without a language', () => {
		expect(parseJsonAnswer('```\n[{"a": 1}]\n```')).toEqual([{ a: 1 }]);
	});

	it('refuses text that is not JSON, with the start of the answer', () => {
		const error = failureOf(() => parseJsonAnswer('Sure! Here is the JSON you asked for: {"a": 1}', 'stop'));
		expect(error.truncated).toBe(false);
		expect(error.errorClass).toBe('validation');
		expect(error.message).toBe('The model was asked for JSON but its answer is not valid JSON');
		expect(error.answerPreview).toBe('Sure! Here is the JSON you asked for: {"a": 1}');
		expect(error.description).toBe('The answer began: Sure! Here is the JSON you asked for: {"a": 1}');
	});

	it('says the answer was cut off when the finish reason is length', () => {
		const error = failureOf(() => parseJsonAnswer('{"items": [1, 2, 3', 'length'));
		expect(error.truncated).toBe(true);
		expect(error.message).toMatch(/cut off at the token limit/);
	});

	it('does not call an answer without a finish reason truncated', () => {
		expect(failureOf(() => parseJsonAnswer('{"items": [1, 2')).truncated).toBe(false);
	});

	it('keeps at most 200 characters of the answer in the preview', () => {
		const error = failureOf(() => parseJsonAnswer(`not json ${'x'.repeat(500)}`));
		expect(error.answerPreview).toHaveLength(200);
	});

	it('refuses an empty answer and a fence around invalid JSON', () => {
		failureOf(() => parseJsonAnswer(''));
		failureOf(() => parseJsonAnswer('```json\n{oops}\n```'));
	});
});
