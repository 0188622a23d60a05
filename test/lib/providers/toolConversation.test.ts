import {
	createChatClient,
	foldChatStream,
	resolveEndpoint,
	type ChatClient,
	type ChatMessage,
	type ChatRequest,
	type ChatResult,
	type ProviderEndpoint,
} from '../../../lib/providers';
import { DEFAULT_STUB_API_KEY, startLlmStub, type LlmStub } from '../../helpers/llmStub';

const TOOLS: ChatRequest['tools'] = [
	{ name: 'weather', description: 'Current weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
	{ name: 'clock', parameters: { type: 'object', properties: {} } },
];

const firstTurn: ChatRequest = {
	model: 'test-model',
	system: 'Use the tools.',
	messages: [{ role: 'user', content: 'Weather and time in Paris?' }],
	temperature: 0,
	responseFormat: 'text',
	tools: TOOLS,
};

/** The second turn: the first answer's calls, then one result per call, as the Agent sends them back. */
function secondTurn(first: ChatResult, results: string[]): ChatRequest {
	const messages: ChatMessage[] = [
		...firstTurn.messages,
		{ role: 'assistant', content: first.text === '' ? null : first.text, toolCalls: first.toolCalls },
		...first.toolCalls.map((call, index) => ({ role: 'tool', toolCallId: call.id, content: results[index] })),
	];
	return { ...firstTurn, messages };
}

const withoutRaw = ({ raw: _raw, ...rest }: ChatResult) => rest;

describe.each(['openAiCompatible', 'anthropic'] as const)('a two-turn tool conversation with %s', (provider) => {
	let stub: LlmStub;
	let endpoint: ProviderEndpoint;
	let client: ChatClient;

	beforeAll(async () => {
		stub = await startLlmStub({ streamGapMs: 1 });
		const baseUrl = provider === 'anthropic' ? stub.anthropicBaseUrl : stub.openAiBaseUrl;
		endpoint = resolveEndpoint({ provider, baseUrl, apiKey: DEFAULT_STUB_API_KEY });
		client = createChatClient(endpoint, { timeoutMs: 5000 });
	});
	beforeEach(() => {
		stub.reset();
		// Two parallel calls in one answer, so merging and ordering of results are exercised.
		stub.script({ promptIncludes: 'Weather and time', turns: [[{ name: 'weather', arguments: { city: 'Paris' } }, { name: 'clock' }]] });
	});
	afterAll(async () => await stub.close());

	it('with send: the calls come back parsed, the results go back in the provider\'s shape, the answer uses them', async () => {
		const first = await client.send(firstTurn);
		expect(first).toMatchObject({ finishReason: 'tool_calls', hasToolCalls: true, text: '' });
		expect(first.toolCalls).toEqual([
			{ id: expect.any(String), name: 'weather', arguments: { city: 'Paris' }, argumentsText: expect.any(String) },
			{ id: expect.any(String), name: 'clock', arguments: {}, argumentsText: expect.any(String) },
		]);
		expect(JSON.parse(first.toolCalls[0].argumentsText)).toEqual({ city: 'Paris' });
		expect(new Set(first.toolCalls.map((call) => call.id)).size).toBe(2);

		const second = await client.send(secondTurn(first, ['sunny, 21 °C', '12:00']));
		expect(second).toMatchObject({ text: 'answer: sunny, 21 °C\n12:00', finishReason: 'stop', hasToolCalls: false, toolCalls: [] });
		expect(stub.toolCallsIssued()).toBe(2);

		const [firstBody, secondBody] = stub.requests.map((request) => request.body);
		const [weatherCall, clockCall] = first.toolCalls;
		if (provider === 'openAiCompatible') {
			expect(firstBody.tools).toEqual([
				{ type: 'function', function: { name: 'weather', description: 'Current weather of a city', parameters: TOOLS![0].parameters } },
				{ type: 'function', function: { name: 'clock', parameters: TOOLS![1].parameters } },
			]);
			expect(secondBody.messages.slice(2)).toEqual([
				{
					role: 'assistant',
					content: null,
					tool_calls: first.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.argumentsText } })),
				},
				{ role: 'tool', tool_call_id: weatherCall.id, content: 'sunny, 21 °C' },
				{ role: 'tool', tool_call_id: clockCall.id, content: '12:00' },
			]);
		} else {
			expect(firstBody.tools).toEqual([
				{ name: 'weather', description: 'Current weather of a city', input_schema: TOOLS![0].parameters },
				{ name: 'clock', input_schema: TOOLS![1].parameters },
			]);
			expect(secondBody.messages.slice(1)).toEqual([
				{
					role: 'assistant',
					content: [
						{ type: 'tool_use', id: weatherCall.id, name: 'weather', input: { city: 'Paris' } },
						{ type: 'tool_use', id: clockCall.id, name: 'clock', input: {} },
					],
				},
				// Anthropic wants every result of a turn in the one user message that follows it.
				{
					role: 'user',
					content: [
						{ type: 'tool_result', tool_use_id: weatherCall.id, content: 'sunny, 21 °C' },
						{ type: 'tool_result', tool_use_id: clockCall.id, content: '12:00' },
					],
				},
			]);
		}
	});

	it('with stream: each turn\'s chunks fold to exactly what send returns', async () => {
		const sentFirst = await client.send(firstTurn);
		const sentSecond = await client.send(secondTurn(sentFirst, ['sunny, 21 °C', '12:00']));

		const chunks = [];
		for await (const chunk of client.stream(firstTurn)) chunks.push(chunk);
		const callPieces = chunks.filter((chunk) => chunk.type === 'toolCall');
		expect(callPieces.length).toBeGreaterThan(2);
		expect(chunks[chunks.length - 1].type).toBe('finish');
		const streamedFirst = await foldChatStream(replay(chunks));
		expect(withoutRaw(streamedFirst)).toEqual(withoutRaw(sentFirst));

		const streamedSecond = await foldChatStream(client.stream(secondTurn(streamedFirst, ['sunny, 21 °C', '12:00'])));
		expect(withoutRaw(streamedSecond)).toEqual(withoutRaw(sentSecond));
		expect(streamedSecond.usage.input).toBeGreaterThan(0);
		expect(streamedSecond.usage.output).toBeGreaterThan(0);
		expect(stub.requests.slice(2).every((request) => request.body.stream === true)).toBe(true);
	});

	it('forces a tool, or none, through toolChoice', async () => {
		await client.send({ ...firstTurn, toolChoice: { name: 'weather' } });
		const none = await client.send({ ...firstTurn, toolChoice: 'none' });
		expect(none.hasToolCalls).toBe(false);
		const [forced, refused] = stub.requests.map((request) => request.body.tool_choice);
		if (provider === 'openAiCompatible') {
			expect(forced).toEqual({ type: 'function', function: { name: 'weather' } });
			expect(refused).toBe('none');
		} else {
			expect(forced).toEqual({ type: 'tool', name: 'weather' });
			expect(refused).toEqual({ type: 'none' });
		}
	});
});

async function* replay<T>(items: T[]): AsyncGenerator<T> {
	yield* items;
}
