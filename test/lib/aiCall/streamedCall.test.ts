import { cacheKeyFor, runAiCall } from '../../../lib/aiCall';
import { ProviderError, type ChatChunk, type ChatContentChunk, type ChatRequest } from '../../../lib/providers';
import { attemptsOf } from '../../../lib/resilience';
import { startLlmStub, type LlmStub } from '../../helpers/llmStub';
import { engineAt, engineOnStub, engineSettings, foldPieces, streaming, textRequest, toolRequest } from './engineOnStub';

const cachingTools = { ...engineSettings, cacheToolCalls: true };

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
	return await promise.then(
		() => {
			throw new Error('expected the call to fail');
		},
		(error: unknown) => error,
	);
}

describe.each(['openAiCompatible', 'anthropic'] as const)('streamed AI calls with %s', (provider) => {
	let stub: LlmStub;

	beforeAll(async () => {
		stub = await startLlmStub({ streamGapMs: 1 });
	});
	beforeEach(() => {
		stub.reset();
		stub.setLatency(0);
		stub.script({ promptIncludes: 'Weather and time', turns: [[{ name: 'weather', arguments: { city: 'Paris' } }, { name: 'clock' }]] });
	});
	afterAll(async () => await stub.close());

	/** The content pieces the client itself streams for a request: what the engine must hand over, in order. */
	async function piecesOf(engine: ReturnType<typeof engineOnStub>, request: ChatRequest): Promise<ChatContentChunk[]> {
		const pieces: ChatContentChunk[] = [];
		for await (const chunk of engine.client.stream(request) as AsyncIterable<ChatChunk>) if (chunk.type !== 'finish') pieces.push(chunk);
		return pieces;
	}

	it.each([
		['a text answer', textRequest('Tell me about Paris in a few words')],
		['a tool-call answer', toolRequest('Weather and time in Paris?')],
	])('forwards every piece of %s in order, stores it, and replays it on a hit', async (_label, request) => {
		const engine = engineOnStub(stub, provider);
		const expected = await piecesOf(engine, request);
		expect(expected.length).toBeGreaterThan(2);
		const callsBefore = stub.upstreamCalls();

		const miss = streaming(engine.deps);
		const fresh = await runAiCall(request, cachingTools, miss.deps);
		expect(miss.chunks).toEqual(expected);
		expect(fresh).toMatchObject({ cache: 'miss', attempts: 1, raw: { streamed: true } });
		expect(fresh.costUsd).toBeGreaterThan(0);
		expect(foldPieces(miss.chunks)).toEqual({ text: fresh.text, toolCalls: fresh.toolCalls });
		// Priced and stored as a sent answer would be.
		const sent = await runAiCall(request, { ...cachingTools, cacheMode: 'off' }, engine.deps);
		expect({ ...fresh, raw: undefined, latencyMs: 0, attempts: 0 }).toEqual({ ...sent, raw: undefined, latencyMs: 0, attempts: 0, cache: 'miss' });
		expect(await engine.cache.get(cacheKeyFor(request, engine.client.endpoint))).toBeDefined();

		const hit = streaming(engine.deps);
		const served = await runAiCall(request, cachingTools, hit.deps);
		expect(served).toMatchObject({ cache: 'hit', text: fresh.text, toolCalls: fresh.toolCalls, finishReason: fresh.finishReason });
		expect(foldPieces(hit.chunks)).toEqual(foldPieces(miss.chunks));
		expect(hit.chunks.filter((chunk) => chunk.type === 'toolCall')).toHaveLength(fresh.toolCalls.length);
		// The streamed miss and the sent call, none for the hit.
		expect(stub.upstreamCalls() - callsBefore).toBe(2);
	});

	it('shares one provider call among 5 identical concurrent streams; each consumer gets the whole answer', async () => {
		stub.setLatency(50);
		const engine = engineOnStub(stub, provider);
		const request = toolRequest('Weather and time in Paris?');
		const consumers = Array.from({ length: 5 }, () => streaming(engine.deps));
		const outcomes = await Promise.all(consumers.map((consumer) => runAiCall(request, cachingTools, consumer.deps)));
		expect(stub.upstreamCalls()).toBe(1);
		expect(outcomes.map((outcome) => outcome.cache).sort()).toEqual(['coalesced', 'coalesced', 'coalesced', 'coalesced', 'miss']);
		const leader = outcomes.find((outcome) => outcome.cache === 'miss')!;
		expect(leader.toolCalls).toHaveLength(2);
		for (const consumer of consumers) expect(foldPieces(consumer.chunks)).toEqual({ text: leader.text, toolCalls: leader.toolCalls });
	});

	it('retries a 429 with Retry-After that comes before the stream, then streams the answer', async () => {
		const engine = engineOnStub(stub, provider);
		stub.enqueue({ status: 429, headers: { 'retry-after': '1' } });
		const consumer = streaming(engine.deps);
		const outcome = await runAiCall(textRequest('Tell me about Rome'), cachingTools, consumer.deps);
		expect(outcome).toMatchObject({ cache: 'miss', attempts: 2, text: 'echo: Tell me about Rome' });
		expect(engine.sleeps).toEqual([1000]);
		expect(foldPieces(consumer.chunks).text).toBe('echo: Tell me about Rome');
		expect(stub.upstreamCalls()).toBe(2);
	});

	it('throws for a stream cut off mid-way, after handing over part of it, and neither retries nor stores', async () => {
		const engine = engineOnStub(stub, provider);
		const request = textRequest('Tell me a long story about Lisbon and its trams [[malformed]]');
		const consumer = streaming(engine.deps);
		const error = await failureOf(runAiCall(request, cachingTools, consumer.deps));
		expect(error).toBeInstanceOf(ProviderError);
		expect((error as ProviderError).retryable).toBe(true);
		expect(consumer.chunks.length).toBeGreaterThan(0);
		expect(attemptsOf(error)).toBe(1);
		expect(stub.upstreamCalls()).toBe(1);
		expect(await engine.cache.get(cacheKeyFor(request, engine.client.endpoint))).toBeUndefined();
		expect((await engine.cache.stats()).entries).toBe(0);
	});
});

describe('streamed AI calls, piece by piece', () => {
	const usage = { input: 10, output: 5, cachedInput: 0, cacheWrite: 0 };

	it('hands each piece over as it arrives, before the provider has sent the rest', async () => {
		const engine = engineAt('https://llm.example.test/v1', 'openAiCompatible');
		let releaseRest!: () => void;
		const rest = new Promise<void>((resolve) => (releaseRest = resolve));
		const consumer = streaming({
			...engine.deps,
			client: {
				endpoint: engine.client.endpoint,
				send: () => Promise.reject(new Error('a streaming call must not send')),
				async *stream() {
					yield { type: 'text', delta: 'first ' };
					await rest;
					yield { type: 'text', delta: 'second' };
					yield { type: 'finish', finishReason: 'stop', usage };
				},
			},
		});
		const pieces: string[] = [];
		const firstSeen = new Promise<void>((resolve) => {
			const forward = consumer.deps.onChunk!;
			consumer.deps.onChunk = (chunk) => {
				forward(chunk);
				if (chunk.type === 'text') pieces.push(chunk.delta);
				resolve();
			};
		});
		const call = runAiCall(textRequest('Tell me about Oslo'), engineSettings, consumer.deps);
		await firstSeen;
		expect(pieces).toEqual(['first ']);
		releaseRest();
		expect(await call).toMatchObject({ text: 'first second', cache: 'miss', usage });
		expect(pieces).toEqual(['first ', 'second']);
	});

	it('says so when asked to stream through a client that cannot', async () => {
		const engine = engineAt('https://llm.example.test/v1', 'openAiCompatible');
		const { endpoint, send } = engine.client;
		const consumer = streaming({ ...engine.deps, client: { endpoint, send } });
		await expect(runAiCall(textRequest('Tell me about Oslo'), engineSettings, consumer.deps)).rejects.toThrow(
			'The AI call was asked to stream its answer, but its chat client cannot stream',
		);
	});
});
