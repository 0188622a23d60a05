import { compressRequest } from '../../../lib/aiCall';
import { MAX_COMPRESSED_CHARS } from '../../../lib/aiCall/compressRequest';
import type { ChatRequest } from '../../../lib/providers';
import { WorkSlicer } from '../../../lib/shared/yieldToEventLoop';
import { eventLoopTurns } from '../../helpers/eventLoopTurns';

const prettyJson = JSON.stringify({ orders: [{ id: 1, total: 9.5 }, { id: 2, total: 12 }] }, null, 4);
const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo   AAAA\n\n\n\nBBBB' } };

const request: ChatRequest = {
	model: 'gpt-test',
	system: 'You   are a   helpful assistant.\n\n\n\n\nBe brief.',
	messages: [
		{ role: 'user', content: `Summarise these orders:\n${prettyJson}`, name: 'alice' },
		{ role: 'user', content: [{ type: 'text', text: 'What  is   in\n\n\n\n\nthis picture?' }, image] },
		{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{ "a" :  1 }' } }] },
	],
	temperature: 0,
	responseFormat: 'text',
	extraBody: { note: 'keep   this    spacing' },
};

describe('compressRequest', () => {
	it('compresses the system prompt and the text of every message in safe mode', async () => {
		const { request: compressed } = await compressRequest(request, 'safe');
		expect(compressed.system).not.toBe(request.system);
		expect(compressed.system!.length).toBeLessThan(request.system!.length);
		expect(compressed.messages[0].content).toContain('{"orders":');
		const parts = compressed.messages[1].content as Array<{ type: string; text?: string }>;
		expect(parts[0].text!.length).toBeLessThan('What  is   in\n\n\n\n\nthis picture?'.length);
	});

	it('passes image parts through untouched', async () => {
		const { request: compressed } = await compressRequest(request, 'aggressive');
		const parts = compressed.messages[1].content as unknown[];
		expect(parts[1]).toBe(image);
		expect(parts[1]).toEqual({ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo   AAAA\n\n\n\nBBBB' } });
	});

	it('keeps roles, names, tool fields and everything outside the messages', async () => {
		const { request: compressed } = await compressRequest(request, 'safe');
		expect(compressed.messages.map((message) => message.role)).toEqual(['user', 'user', 'assistant']);
		expect(compressed.messages[0].name).toBe('alice');
		expect(compressed.messages[2]).toBe(request.messages[2]);
		expect(compressed.extraBody).toBe(request.extraBody);
		expect({ ...compressed, system: undefined, messages: undefined }).toEqual({ ...request, system: undefined, messages: undefined });
	});

	it('does not change the request it was given', async () => {
		const copy = structuredClone(request);
		await compressRequest(request, 'aggressive');
		expect(request).toEqual(copy);
	});

	it('reports all prompt text before and after, the after text shorter in safe mode', async () => {
		const { textBefore, textAfter } = await compressRequest(request, 'safe');
		expect(textBefore).toBe([request.system, request.messages[0].content, 'What  is   in\n\n\n\n\nthis picture?'].join('\n'));
		expect(textAfter.length).toBeLessThan(textBefore.length);
		expect(textBefore).not.toContain('base64');
	});

	it('returns identical text in off mode', async () => {
		const { request: same, textBefore, textAfter } = await compressRequest(request, 'off');
		expect(same).toEqual(request);
		expect(textAfter).toBe(textBefore);
	});

	it('handles a request without a system prompt', async () => {
		const { request: compressed, textBefore } = await compressRequest({ ...request, system: undefined, messages: [{ role: 'user', content: 'hi' }] }, 'safe');
		expect(compressed.system).toBeUndefined();
		expect(compressed.messages).toEqual([{ role: 'user', content: 'hi' }]);
		expect(textBefore).toBe('hi');
	});
});

describe('compressRequest on huge texts', () => {
	it('sends a text longer than the compression limit as it is', async () => {
		const huge = 'spaced   out\n\n\n'.repeat(Math.ceil(MAX_COMPRESSED_CHARS / 15));
		const small = 'spaced   out\n\n\nline';
		const result = await compressRequest({ ...request, system: undefined, messages: [{ role: 'user', content: huge }, { role: 'user', content: small }] }, 'safe');
		expect(result.request.messages[0].content).toBe(huge);
		expect(result.request.messages[1].content).not.toBe(small);
	});

	it('gives the event loop a turn between long texts, so many of them do not run as one block', async () => {
		const long = 'spaced   out\n\n\n'.repeat(Math.floor(MAX_COMPRESSED_CHARS / 15));
		const turns = eventLoopTurns();
		const messages = Array.from({ length: 4 }, () => ({ role: 'user' as const, content: long }));
		const result = await compressRequest({ ...request, system: undefined, messages }, 'safe', new WorkSlicer(0));
		turns.stop();
		expect(result.request.messages.every((message) => (message.content as string).length < long.length)).toBe(true);
		expect(turns.current()).toBeGreaterThanOrEqual(3);
	});
});
