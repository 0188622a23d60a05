import { isPlainObject } from '../shared/json';
import { ProviderError } from './providerError';

/** One server-sent event: its `event:` name ('message' when none) and its `data:` lines joined by newlines. */
export interface SseEvent {
	event: string;
	data: string;
}

/**
 * Server-sent events from a byte stream, as they arrive: each event is yielded once its blank line is in, so a
 * long answer is never held whole. An event the stream cuts off before its blank line is dropped, as the
 * EventSource rules say; whoever reads the events decides whether the stream was complete.
 */
export async function* sseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
	const decoder = new TextDecoder();
	let pending = '';
	let event = '';
	let data: string[] = [];
	const lineOf = function* (text: string, final: boolean) {
		pending += text;
		let start = 0;
		for (let index = 0; index < pending.length; index++) {
			const char = pending[index];
			if (char !== '\n' && char !== '\r') continue;
			// A CR at the very end may be the first half of a CRLF split across two reads.
			if (char === '\r' && index === pending.length - 1 && !final) break;
			yield pending.slice(start, index);
			if (char === '\r' && pending[index + 1] === '\n') index++;
			start = index + 1;
		}
		pending = pending.slice(start);
	};
	const handle = (line: string): SseEvent | undefined => {
		if (line === '') {
			const complete = data.length > 0 ? { event: event || 'message', data: data.join('\n') } : undefined;
			event = '';
			data = [];
			return complete;
		}
		if (line.startsWith(':')) return undefined;
		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		if (field === 'data') data.push(value);
		else if (field === 'event') event = value;
		return undefined;
	};
	for await (const bytes of body) {
		for (const line of lineOf(decoder.decode(bytes, { stream: true }), false)) {
			const complete = handle(line);
			if (complete) yield complete;
		}
	}
	for (const line of lineOf(decoder.decode(), true)) {
		const complete = handle(line);
		if (complete) yield complete;
	}
}

/** The JSON object a streamed event carries; anything else means the stream is not what the provider sends. */
export function sseJson(data: string): Record<string, unknown> {
	try {
		const parsed = JSON.parse(data) as unknown;
		if (isPlainObject(parsed)) return parsed;
	} catch {
		// reported below
	}
	throw new ProviderError({ status: 200, code: 'malformed_response', providerMessage: 'a streamed event is not a JSON object' });
}
