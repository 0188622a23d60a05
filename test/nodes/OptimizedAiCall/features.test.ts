import { parseSnapshot, STATE_KEY, resetSharedProcessState } from '../../../lib/state';
import { startLlmStub, type LlmStub } from '../../helpers/llmStub';
import { useLlmStub } from './useStub';
import { aiHarness, aiWorkflow, prompts, STUB_KEY } from './aiWorkflow';

type Optimization = { cache: string; similarTo?: { score: number; promptPreview: string }; tokensBefore: number; tokensAfter: number };
const optimizationOf = (item: Record<string, unknown>) => item.optimization as Optimization;

describe('Optimized AI Call: near-duplicates, compression, providers, accounting', () => {
	const stubHolder = useLlmStub();
	let stub: LlmStub;
	beforeEach(() => {
		stub = stubHolder.current;
	});

	const nearDuplicates = { optimization: { nearDuplicates: true } };

	it('reuses the answer of a prompt that differs only in formatting, and not of one with a typo by default', async () => {
		const { harness } = aiHarness(stub.url);
		const review = 'Summarise the following customer review in one sentence: The delivery was quick and the product works great';
		await harness.run(aiWorkflow(nearDuplicates), { input: prompts(review) });
		const reformatted = await harness.run(aiWorkflow(nearDuplicates), { input: prompts(`  ${review.toLowerCase()}.\n`) });
		expect(optimizationOf(reformatted.json('Ask')[0])).toMatchObject({ cache: 'similar', similarTo: { score: 1 } });
		const typo = await harness.run(aiWorkflow(nearDuplicates), { input: prompts(review.replace('delivery', 'delivrey')) });
		expect(optimizationOf(typo.json('Ask')[0]).cache).toBe('miss');
		expect(stub.upstreamCalls()).toBe(2);
	});

	it('with typo tolerance on, reuses the answer of a prompt with a typo inside a long word and says which one', async () => {
		const { harness } = aiHarness(stub.url);
		const tolerant = { optimization: { nearDuplicates: true, nearDuplicateTypos: true } };
		const review = 'Summarise the following customer review in one sentence: The delivery was quick and the product works great';
		await harness.run(aiWorkflow(tolerant), { input: prompts(review) });
		const second = await harness.run(aiWorkflow(tolerant), { input: prompts(review.replace('delivery', 'delivrey')) });
		const optimization = optimizationOf(second.json('Ask')[0]);
		expect(optimization.cache).toBe('similar');
		expect(optimization.similarTo?.score).toBeGreaterThanOrEqual(0.97);
		expect(optimization.similarTo?.promptPreview).toContain('The delivery was quick');
		expect(second.json('Ask')[0].text).toBe(`echo: ${review}`);
		expect(stub.upstreamCalls()).toBe(1);
	});

	it.each([
		['turn on dark mode', 'turn off dark mode'],
		['refund 15 USD', 'refund 150 USD'],
		['is it safe', 'is it not safe'],
		['List orders where status != "shipped"', 'List orders where status = "shipped"'],
		['Rewrite this email in a formal tone', 'Rewrite this email in an informal tone'],
		['What is the capital of Austria?', 'What is the capital of Australia?'],
	])('never merges "%s" with "%s", even at a low threshold with typo tolerance', async (first, second) => {
		const { harness } = aiHarness(stub.url);
		const lenient = { optimization: { nearDuplicates: true, nearDuplicateTypos: true, similarityThreshold: 0.5 } };
		await harness.run(aiWorkflow(lenient), { input: prompts(first) });
		const result = await harness.run(aiWorkflow(lenient), { input: prompts(second) });
		expect(optimizationOf(result.json('Ask')[0]).cache).toBe('miss');
		expect(result.json('Ask')[0].text).toBe(`echo: ${second}`);
	});

	it('never merges prompts whose system prompts differ', async () => {
		const { harness } = aiHarness(stub.url);
		await harness.run(aiWorkflow({ ...nearDuplicates, systemPrompt: 'Answer in English.' }), { input: prompts('Describe the weather today') });
		const result = await harness.run(aiWorkflow({ ...nearDuplicates, systemPrompt: 'Answer in French.' }), {
			input: prompts('Describe the weather today.'),
		});
		expect(optimizationOf(result.json('Ask')[0]).cache).toBe('miss');
	});

	it('compresses pretty-printed JSON in prompts before sending and reports the token counts', async () => {
		const { harness } = aiHarness(stub.url);
		const payload = JSON.stringify({ orders: [{ id: 1, total: 10.5 }, { id: 2, total: 1e3 }] }, null, 4);
		const result = await harness.run(aiWorkflow({ optimization: { compression: 'safe' } }), { input: prompts(`Check:\n${payload}`) });
		const optimization = optimizationOf(result.json('Ask')[0]);
		expect(optimization.tokensAfter).toBeLessThan(optimization.tokensBefore);
		const sent = stub.requests.find((request) => request.path.endsWith('/chat/completions'))?.body as { messages: Array<{ content: string }> };
		expect(sent.messages[0].content).toBe('Check:\n{"orders":[{"id":1,"total":10.5},{"id":2,"total":1000}]}');
	});

	it('talks to Anthropic, caching the system prompt there when asked, and reports cache read and write tokens', async () => {
		const { harness } = aiHarness(stub.url);
		const parameters = {
			model: 'claude-sonnet-4-5',
			systemPrompt: 'You are a careful analyst. '.repeat(20),
			requestOptions: { anthropicCacheSystemPrompt: true },
			optimization: { cacheMode: 'off' },
		};
		const first = await harness.run(aiWorkflow(parameters, { credentialId: 'anthropic' }), { input: prompts('first') });
		const second = await harness.run(aiWorkflow(parameters, { credentialId: 'anthropic' }), { input: prompts('second') });
		expect(first.json('Ask')[0]).toMatchObject({ text: 'echo: first', optimization: { provider: 'anthropic', cache: 'bypass' } });
		expect((first.json('Ask')[0].usage as { cacheWrite: number }).cacheWrite).toBeGreaterThan(0);
		expect((second.json('Ask')[0].usage as { cachedInput: number }).cachedInput).toBeGreaterThan(0);
		const request = stub.requests.find((entry) => entry.path.endsWith('/v1/messages'));
		expect(request?.headers['x-api-key']).toBe(STUB_KEY);
		expect(request?.headers['anthropic-version']).toBe('2023-06-01');
		expect((request?.body as { system: Array<{ cache_control: unknown }> }).system[0].cache_control).toEqual({ type: 'ephemeral' });
	});

	it('takes a full messages array, and can include the raw provider response', async () => {
		const { harness } = aiHarness(stub.url);
		const messages = JSON.stringify([
			{ role: 'user', content: 'Hi' },
			{ role: 'assistant', content: 'Hello!' },
			{ role: 'user', content: [{ type: 'text', text: 'What did I say first?' }] },
		]);
		const result = await harness.run(aiWorkflow({ promptSource: 'messages', messages, requestOptions: { includeRaw: true } }));
		expect(result.json('Ask')[0].text).toBe('echo: What did I say first?');
		expect((result.json('Ask')[0].raw as { object: string }).object).toBe('chat.completion');
	});

	it('prices known models and leaves unknown ones at null, unless the price is overridden', async () => {
		const { harness } = aiHarness(stub.url);
		const known = await harness.run(aiWorkflow({ model: 'gpt-4o-mini' }), { input: prompts('a') });
		expect((known.json('Ask')[0].cost as { usd: number }).usd).toBeGreaterThan(0);
		const unknown = await harness.run(aiWorkflow({ model: 'llama3.1:8b' }), { input: prompts('b') });
		expect(unknown.json('Ask')[0].cost).toEqual({ usd: null, savedUsd: null });
		const local = await harness.run(
			aiWorkflow({ model: 'llama3.1:8b', optimization: { priceOverride: { prices: { input: 0, output: 0 } } } }),
			{ input: prompts('c') },
		);
		expect((local.json('Ask')[0].cost as { usd: number }).usd).toBe(0);
	});

	it('charges cached input at the Input price when a Price Override leaves Cached Input at 0, and at its own price when given', async () => {
		const cachingStub = await startLlmStub({ apiKey: STUB_KEY, cachedTokens: 4 });
		try {
			const { harness } = aiHarness(cachingStub.url);
			const priced = (prices: Record<string, number>) =>
				aiWorkflow({ model: 'llama3.1:8b', optimization: { cacheMode: 'off', priceOverride: { prices } } });
			const defaulted = await harness.run(priced({ input: 1000, output: 0, cachedInput: 0 }), { input: prompts('cached prefix question') });
			const usage = defaulted.json('Ask')[0].usage as { input: number; cachedInput: number };
			expect(usage.cachedInput).toBe(4);
			expect((defaulted.json('Ask')[0].cost as { usd: number }).usd).toBeCloseTo((usage.input * 1000) / 1e6, 8);
			const given = await harness.run(priced({ input: 1000, output: 0, cachedInput: 100 }), { input: prompts('cached prefix question') });
			expect((given.json('Ask')[0].cost as { usd: number }).usd).toBeCloseTo(((usage.input - 4) * 1000 + 4 * 100) / 1e6, 8);
		} finally {
			await cachingStub.close();
		}
	});

	it('records every call in the metrics core, persisted with the workflow', async () => {
		const { harness } = aiHarness(stub.url);
		const workflow = aiWorkflow({}, { id: 'metricsWf' });
		harness.database.add(workflow);
		const result = await harness.run(workflow, { input: prompts('x', 'x', 'y') });
		expect(result.status).toBe('success');
		const metrics = parseSnapshot((result.savedStaticData?.global as Record<string, unknown>)[STATE_KEY]).m as { s: Array<{ n: string; o: string; tot: Record<string, Record<string, number>> }> };
		const series = metrics.s.find((entry) => entry.n === 'Ask');
		const totals = Object.values(series!.tot)[0];
		expect(series?.o).toBe('chat');
		expect(totals.n).toBe(3);
		expect(totals.m).toBe(2);
		expect((totals.co ?? 0) + (totals.h ?? 0)).toBe(1);
		expect(totals.ti).toBeGreaterThan(0);
	});

	it('spaces requests under a requests-per-minute limit shared by the executions of the process', async () => {
		const { harness } = aiHarness(stub.url);
		const limited = aiWorkflow({ optimization: { requestsPerMinute: 30, cacheMode: 'off', maxConcurrency: 20 } });
		// The bucket holds 30 requests and gains one every 2 s. The 32nd request of the process cannot start within 4 s
		// of the first, whichever execution sends it; executions with buckets of their own would send it at once.
		// A slow machine only makes the gap longer, so this holds under any load.
		await harness.run(limited, { input: prompts(...Array.from({ length: 30 }, (_, index) => `q${index}`)) });
		const result = await harness.run(limited, { input: prompts('late 1', 'late 2') });
		expect(result.status).toBe('success');
		const received = stub.requests.slice(-32).map((request) => request.receivedAt);
		expect(received[31] - received[0]).toBeGreaterThanOrEqual(3_900);
	}, 20_000);
});
