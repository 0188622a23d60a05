import { fromCacheValue } from '../../../lib/aiCall';
import type { JsonValue } from '../../../lib/shared/json';

const stored = {
	text: '',
	finishReason: 'tool_calls',
	usage: { input: 10, output: 5, cachedInput: 0, cacheWrite: 0 },
	costUsd: null,
	tokensBefore: 10,
	tokensAfter: 10,
	promptPreview: 'user: Weather in Paris?',
};

describe('fromCacheValue', () => {
	it('reads stored tool calls back, their arguments parsed from their text', () => {
		const answer = fromCacheValue({ ...stored, toolCalls: [{ id: 'call_1', name: 'weather', argumentsText: '{"city":"Paris"}' }] });
		expect(answer?.toolCalls).toEqual([{ id: 'call_1', name: 'weather', arguments: { city: 'Paris' }, argumentsText: '{"city":"Paris"}' }]);
	});

	it('reads an answer without tool calls as before', () => {
		expect(fromCacheValue({ ...stored, finishReason: 'stop', text: 'hello' })).toEqual({ ...stored, finishReason: 'stop', text: 'hello' });
	});

	it.each<[string, JsonValue]>([
		['not a list', { id: 'call_1', name: 'weather', argumentsText: '{}' }],
		['a call without an id', [{ name: 'weather', argumentsText: '{}' }]],
		['a call whose name is not text', [{ id: 'call_1', name: 7, argumentsText: '{}' }]],
		['a call whose arguments are an object instead of their text', [{ id: 'call_1', name: 'weather', argumentsText: { city: 'Paris' } }]],
		['a call that is not an object', ['weather']],
	])('treats tool calls that are %s as a miss', (_label, toolCalls) => {
		expect(fromCacheValue({ ...stored, toolCalls })).toBeUndefined();
	});
});
