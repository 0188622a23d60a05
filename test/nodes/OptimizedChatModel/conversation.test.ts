import type { Message, Tool } from '@n8n/ai-node-sdk';
import { chatRequestOf, ConversationError, finishReasonOf, generateResultOf } from '../../../nodes/OptimizedChatModel/actions/conversation';
import type { AiCallOutcome } from '../../../lib/aiCall';

const text = (value: string) => ({ type: 'text' as const, text: value });
const LOOKUP: Tool = {
	type: 'function',
	name: 'lookup',
	description: 'Looks up a fact',
	inputSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] },
};

describe('the agent\'s conversation as a request', () => {
	it('maps system prompts, turns, tool calls and tool results to the neutral request, tools to JSON schemas', () => {
		const messages: Message[] = [
			{ role: 'system', content: [text('Be brief.')] },
			{ role: 'system', content: [text('Use tools.')] },
			{ role: 'user', content: [text('Tell me about otters')] },
			{ role: 'assistant', content: [{ type: 'reasoning', text: 'thinking' }, { type: 'tool-call', toolCallId: 'c1', toolName: 'lookup', input: '{"topic":"otters"}' }] },
			{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', result: [{ response: 'fact' }] }] },
			{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c2', result: [text('one'), text('two')] }] },
		];
		const request = chatRequestOf(messages, [LOOKUP], { model: 'gpt-4o-mini', temperature: 0 }, 'openAiCompatible');
		expect(request).toEqual({
			model: 'gpt-4o-mini',
			system: 'Be brief.\n\nUse tools.',
			temperature: 0,
			responseFormat: 'text',
			messages: [
				{ role: 'user', content: 'Tell me about otters' },
				{ role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'lookup', arguments: { topic: 'otters' }, argumentsText: '{"topic":"otters"}' }] },
				{ role: 'tool', toolCallId: 'c1', content: '[{"response":"fact"}]' },
				{ role: 'tool', toolCallId: 'c2', content: 'one\ntwo' },
			],
			tools: [{ name: 'lookup', description: 'Looks up a fact', parameters: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] } }],
			toolChoice: 'auto',
		});
	});

	it('sends images in each provider\'s own part format, and refuses other files naming their type', () => {
		const picture: Message = { role: 'user', content: [text('What is this?'), { type: 'file', mediaType: 'image/png', data: new Uint8Array([1, 2, 3]) }] };
		expect(chatRequestOf([picture], [], { model: 'm' }, 'openAiCompatible').messages[0].content).toEqual([
			{ type: 'text', text: 'What is this?' },
			{ type: 'image_url', image_url: { url: 'data:image/png;base64,AQID' } },
		]);
		expect(chatRequestOf([picture], [], { model: 'm' }, 'anthropic').messages[0].content).toEqual([
			{ type: 'text', text: 'What is this?' },
			{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AQID' } },
		]);
		const pdf: Message = { role: 'user', content: [{ type: 'file', mediaType: 'application/pdf', data: 'JVBERi0=' }] };
		expect(() => chatRequestOf([pdf], [], { model: 'm' }, 'openAiCompatible')).toThrow(new ConversationError('Optimized Chat Model sends images only; the conversation holds a file of type "application/pdf"'));
	});

	it('refuses provider-side tools by name', () => {
		expect(() => chatRequestOf([{ role: 'user', content: [text('hi')] }], [{ type: 'provider', name: 'web_search' }], { model: 'm' }, 'openAiCompatible')).toThrow(
			/"web_search" is a provider-side tool/,
		);
	});

	it('turns an outcome into the SDK\'s result: text, whole tool calls, finish reason, the tokens this call spent', () => {
		const outcome = {
			text: '',
			finishReason: 'tool_calls',
			toolCalls: [{ id: 'c1', name: 'lookup', arguments: {}, argumentsText: '' }],
			usage: { input: 80, output: 6, cachedInput: 10, cacheWrite: 0 },
			attempts: 1,
		} as unknown as AiCallOutcome;
		expect(generateResultOf(outcome)).toEqual({
			finishReason: 'tool-calls',
			message: { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'lookup', input: '{}' }] },
			usage: { promptTokens: 80, completionTokens: 6, totalTokens: 86, inputTokenDetails: { cacheRead: 10 } },
		});
		const served = { ...outcome, text: 'hello', toolCalls: [], finishReason: 'stop', attempts: 0 } as unknown as AiCallOutcome;
		expect(generateResultOf(served)).toEqual({
			finishReason: 'stop',
			message: { role: 'assistant', content: [text('hello')] },
			usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
		});
		expect(['stop', 'length', 'content_filter', 'tool_calls', 'end_turn', null].map(finishReasonOf)).toEqual(['stop', 'length', 'content-filter', 'tool-calls', 'other', 'other']);
	});
});
