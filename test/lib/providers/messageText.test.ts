import { messageText } from '../../../lib/providers';
import type { JsonObject } from '../../../lib/shared/json';

describe('messageText', () => {
	it('returns string content as is', () => {
		expect(messageText({ content: 'Hello' })).toBe('Hello');
	});

	it('joins the text parts of a content list with newlines, skipping other parts', () => {
		const content: JsonObject[] = [
			{ type: 'text', text: 'Look at this:' },
			{ type: 'image_url', image_url: { url: 'https://x/a.png' } },
			{ type: 'text', text: '' },
			{ type: 'text', text: 'What is it?' },
		];
		expect(messageText({ content })).toBe('Look at this:\nWhat is it?');
	});

	it('gives empty text for null content', () => {
		expect(messageText({ content: null })).toBe('');
	});
});
