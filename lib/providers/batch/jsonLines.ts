import { isPlainObject } from '../../shared/json';
import { ProviderError } from '../providerError';

/** The objects of a JSONL text, one per non-empty line; a line that is not a JSON object is a `malformed_response`. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
	const lines: Array<Record<string, unknown>> = [];
	for (const line of text.split('\n')) {
		if (line.trim() === '') continue;
		let parsed: unknown;
		try {
			parsed = JSON.parse(line);
		} catch {
			throw malformed('a line of the batch results is not JSON');
		}
		if (!isPlainObject(parsed)) throw malformed('a line of the batch results is not a JSON object');
		lines.push(parsed);
	}
	return lines;
}

export function malformed(problem: string): ProviderError {
	return new ProviderError({ status: 200, code: 'malformed_response', providerMessage: problem });
}
