import { cacheKeyFor, runAiCall, type AiCallOutcome, type AiCallSettings } from '../../../lib/aiCall';
import { startLlmStub, type LlmStub } from '../../helpers/llmStub';
import { engineOnStub, engineSettings, nextTurn, toolRequest } from './engineOnStub';

const cachingTools: AiCallSettings = { ...engineSettings, cacheToolCalls: true };
const toolCallsOf = (outcome: AiCallOutcome) => outcome.toolCalls.map(({ id, name, arguments: args }) => ({ id, name, args }));

describe.each(['openAiCompatible', 'anthropic'] as const)('tool-call answers through the AI engine with %s', (provider) => {
	let stub: LlmStub;

	beforeAll(async () => {
		stub = await startLlmStub({ streamGapMs: 1 });
	});
	beforeEach(() => {
		stub.reset();
		stub.script({ promptIncludes: 'Weather and time', turns: [[{ name: 'weather', arguments: { city: 'Paris' } }, { name: 'clock' }]] });
	});
	afterAll(async () => await stub.close());

	/** Both turns of the conversation, running the tools as an agent would. */
	async function converse(engine: ReturnType<typeof engineOnStub>, settings = cachingTools) {
		const firstTurn = toolRequest('Weather and time in Paris?');
		const first = await runAiCall(firstTurn, settings, engine.deps);
		const second = await runAiCall(nextTurn(firstTurn, first, ['sunny, 21 °C', '12:00']), settings, engine.deps);
		return { first, second };
	}

	it('with cacheToolCalls, a second identical conversation makes no upstream call and gets the same calls and ids', async () => {
		const engine = engineOnStub(stub, provider);
		const fresh = await converse(engine);
		expect(fresh.first).toMatchObject({ cache: 'miss', finishReason: 'tool_calls', text: '', attempts: 1 });
		expect(toolCallsOf(fresh.first)).toEqual([
			{ id: expect.any(String), name: 'weather', args: { city: 'Paris' } },
			{ id: expect.any(String), name: 'clock', args: {} },
		]);
		expect(fresh.second).toMatchObject({ cache: 'miss', text: 'answer: sunny, 21 °C\n12:00', toolCalls: [] });
		expect(stub.upstreamCalls()).toBe(2);

		const again = await converse(engine);
		expect(stub.upstreamCalls()).toBe(2);
		expect(again.first).toMatchObject({ cache: 'hit', finishReason: 'tool_calls', costUsd: 0, savedUsd: fresh.first.costUsd });
		expect(again.first.toolCalls).toEqual(fresh.first.toolCalls);
		expect(again.second).toMatchObject({ cache: 'hit', text: fresh.second.text });
	});

	it('without cacheToolCalls, the tool-call turn goes upstream every time and only the text answer is cached', async () => {
		const engine = engineOnStub(stub, provider);
		const fresh = await converse(engine, engineSettings);
		expect(fresh.first.toolCalls).toHaveLength(2);
		expect(await engine.cache.get(cacheKeyFor(toolRequest('Weather and time in Paris?'), engine.client.endpoint))).toBeUndefined();

		const again = await converse(engine, engineSettings);
		expect(again.first).toMatchObject({ cache: 'miss', attempts: 1 });
		expect(again.first.toolCalls).toEqual(fresh.first.toolCalls);
		expect(again.second.cache).toBe('hit');
		expect(stub.upstreamCalls()).toBe(3);
		expect(stub.toolCallsIssued()).toBe(4);
	});

	it('turning cacheToolCalls off stops serving the tool-call answers it stored', async () => {
		const engine = engineOnStub(stub, provider);
		await converse(engine);
		const firstTurn = toolRequest('Weather and time in Paris?');
		expect((await runAiCall(firstTurn, engineSettings, engine.deps)).cache).toBe('miss');
		expect(stub.upstreamCalls()).toBe(3);
	});

	it('never shares an entry or a near-duplicate between a request with tools and the same without', async () => {
		const engine = engineOnStub(stub, provider);
		const similar = { ...cachingTools, nearDuplicateThreshold: 0.5 };
		const withTools = toolRequest('What is the capital of France?');
		const { tools: _tools, ...withoutTools } = withTools;
		expect(cacheKeyFor(withTools, engine.client.endpoint)).not.toBe(cacheKeyFor(withoutTools, engine.client.endpoint));

		expect((await runAiCall(withTools, similar, engine.deps)).cache).toBe('miss');
		// The same prompt word for word would be a near-duplicate of score 1 if the scopes were shared.
		expect((await runAiCall(withoutTools, similar, engine.deps)).cache).toBe('miss');
		expect(stub.upstreamCalls()).toBe(2);
		expect(stub.requests.map((request) => Array.isArray(request.body.tools))).toEqual([true, false]);

		// Within its own kind, each is served: word for word from its entry, a formatting variant as a near-duplicate.
		expect((await runAiCall(withTools, similar, engine.deps)).cache).toBe('hit');
		expect((await runAiCall(withoutTools, similar, engine.deps)).cache).toBe('hit');
		const variant = { ...withoutTools, messages: [{ role: 'user', content: '  WHAT IS THE CAPITAL OF FRANCE?\n' }] };
		expect((await runAiCall(variant, similar, engine.deps)).similarTo?.score).toBe(1);
		expect(stub.upstreamCalls()).toBe(2);
	});
});
