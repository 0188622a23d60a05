import { sseEvents, type SseEvent } from '../../../lib/providers';

async function eventsOf(pieces: string[]): Promise<SseEvent[]> {
	const events: SseEvent[] = [];
	async function* body() {
		for (const piece of pieces) yield new TextEncoder().encode(piece);
	}
	for await (const event of sseEvents(body())) events.push(event);
	return events;
}

describe('sseEvents', () => {
	it('reads named and unnamed events, joins multi-line data, and skips comments and unknown fields', async () => {
		const text = ': keep-alive\nevent: ping\ndata: {}\n\ndata: line one\ndata:line two\nid: 7\nretry: 10\n\n';
		expect(await eventsOf([text])).toEqual([
			{ event: 'ping', data: '{}' },
			{ event: 'message', data: 'line one\nline two' },
		]);
	});

	it('gives the same events however the bytes are split, with LF, CRLF or CR line ends', async () => {
		for (const end of ['\n', '\r\n', '\r']) {
			const text = `event: a${end}data: first${end}${end}data: second${end}${end}`;
			const whole = await eventsOf([text]);
			expect(whole).toEqual([
				{ event: 'a', data: 'first' },
				{ event: 'message', data: 'second' },
			]);
			for (let cut = 1; cut < text.length; cut++) expect(await eventsOf([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
		}
	});

	it('drops an event the stream cuts off before its blank line, and events with no data', async () => {
		expect(await eventsOf(['event: lonely\n\ndata: whole\n\ndata: {"cut": tr'])).toEqual([{ event: 'message', data: 'whole' }]);
	});
});
