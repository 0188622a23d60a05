import { resetSharedProcessState } from '../../../lib/state';
import type { LlmStub } from '../../helpers/llmStub';
import { useLlmStub } from './useStub';
import { aiHarness, aiWorkflow, prompts, STUB_KEY } from './aiWorkflow';

describe('Optimized AI Call: cache and coalescing', () => {
	const stubHolder = useLlmStub();
	let stub: LlmStub;
	beforeEach(() => {
		stub = stubHolder.current;
	});

	it('answers from the provider once, then from the cache', async () => {
		const { harness } = aiHarness(stub.url);
		const workflow = aiWorkflow({});
		harness.database.add(workflow);
		const first = await harness.run(workflow, { input: prompts('What is 2+2?') });
		expect(first.status).toBe('success');
		const [miss] = first.json('Ask');
		expect(miss).toMatchObject({
			text: 'echo: What is 2+2?',
			optimization: { cache: 'miss', attempts: 1, provider: 'openAiCompatible', model: 'gpt-4o-mini' },
		});
		expect((miss.cost as { usd: number }).usd).toBeGreaterThan(0);
		const second = await harness.run(workflow, { input: prompts('What is 2+2?') });
		const [hit] = second.json('Ask');
		expect(hit).toMatchObject({ text: 'echo: What is 2+2?', optimization: { cache: 'hit', attempts: 0 }, cost: { usd: 0 } });
		expect((hit.cost as { savedUsd: number }).savedUsd).toBe((miss.cost as { usd: number }).usd);
		expect(stub.upstreamCalls()).toBe(1);
	});

	it('coalesces identical items of one execution into one provider call, keeping input order', async () => {
		stub.setLatency(50);
		const { harness } = aiHarness(stub.url);
		const workflow = aiWorkflow({});
		const input = prompts('a', 'b', 'a', 'a', 'c', 'b', 'a', 'c', 'a', 'a');
		const result = await harness.run(workflow, { input });
		expect(result.json('Ask').map((item) => item.text)).toEqual(input.map(({ prompt }) => `echo: ${prompt}`));
		expect(result.items('Ask').map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		expect(stub.upstreamCalls()).toBe(3);
		const outcomes = result.json('Ask').map((item) => (item.optimization as { cache: string }).cache);
		expect(outcomes.filter((outcome) => outcome === 'miss')).toHaveLength(3);
		expect(outcomes.filter((outcome) => outcome === 'coalesced' || outcome === 'hit')).toHaveLength(7);
	});

	it('coalesces identical calls from concurrent executions of the workflow', async () => {
		stub.setLatency(100);
		const { harness } = aiHarness(stub.url);
		const workflow = aiWorkflow({});
		const runs = await Promise.all(Array.from({ length: 8 }, () => harness.run(workflow, { input: prompts('same question') })));
		expect(runs.every((run) => run.status === 'success')).toBe(true);
		expect(stub.upstreamCalls()).toBe(1);
		const outcomes = runs.map((run) => (run.json('Ask')[0].optimization as { cache: string }).cache).sort();
		expect(outcomes).toEqual(['coalesced', 'coalesced', 'coalesced', 'coalesced', 'coalesced', 'coalesced', 'coalesced', 'miss']);
	});

	it.each([
		['model', { model: 'gpt-4o' }],
		['system prompt', { systemPrompt: 'Be brief.' }],
		['user prompt', { userPrompt: '={{ $json.prompt + "?" }}' }],
		['temperature', { temperature: 0.5 }],
		['max tokens', { maxTokens: 50 }],
		['top p', { requestOptions: { topP: 0.5 } }],
		['stop sequences', { requestOptions: { stop: 'END' } }],
		['seed', { requestOptions: { seed: 7 } }],
		['response format', { responseFormat: 'json' }],
		['extra body', { requestOptions: { extraBody: '{"user":"u1"}' } }],
	])('misses the cache when the %s changes', async (_field, change) => {
		const { harness } = aiHarness(stub.url);
		await harness.run(aiWorkflow({}), { input: prompts('hello') });
		const changed = await harness.run(aiWorkflow(change), { input: prompts('hello') });
		expect(changed.status).toBe('success');
		expect((changed.json('Ask')[0].optimization as { cache: string }).cache).toBe('miss');
		expect(stub.upstreamCalls()).toBe(2);
	});

	it('never shares entries between two accounts, or across providers', async () => {
		const { harness } = aiHarness(stub.url);
		await harness.run(aiWorkflow({}), { input: prompts('hello') });
		const otherAccount = await harness.run(aiWorkflow({}, { credentialId: 'openai-other-account' }), { input: prompts('hello') });
		expect((otherAccount.json('Ask')[0].optimization as { cache: string }).cache).toBe('miss');
		const anthropic = await harness.run(aiWorkflow({}, { credentialId: 'anthropic' }), { input: prompts('hello') });
		expect((anthropic.json('Ask')[0].optimization as { cache: string }).cache).toBe('miss');
		expect(stub.upstreamCalls()).toBe(3);
	});

	it('bypasses cache and coalescing for temperature > 0 when told not to cache those', async () => {
		const { harness } = aiHarness(stub.url);
		const workflow = aiWorkflow({ temperature: 0.8, optimization: { cacheNonZeroTemperature: false } });
		const result = await harness.run(workflow, { input: prompts('poem', 'poem') });
		expect(result.json('Ask').map((item) => (item.optimization as { cache: string }).cache)).toEqual(['bypass', 'bypass']);
		expect(stub.upstreamCalls()).toBe(2);
	});

	it('serves without storing in read-only mode, and overwrites in refresh mode', async () => {
		const { harness } = aiHarness(stub.url);
		await harness.run(aiWorkflow({ optimization: { cacheMode: 'readOnly' } }), { input: prompts('q') });
		await harness.run(aiWorkflow({ optimization: { cacheMode: 'readOnly' } }), { input: prompts('q') });
		expect(stub.upstreamCalls()).toBe(2);
		await harness.run(aiWorkflow({ optimization: { cacheMode: 'refresh' } }), { input: prompts('q') });
		await harness.run(aiWorkflow({ optimization: { cacheMode: 'refresh' } }), { input: prompts('q') });
		expect(stub.upstreamCalls()).toBe(4);
		const hit = await harness.run(aiWorkflow({ optimization: { cacheMode: 'readOnly' } }), { input: prompts('q') });
		expect((hit.json('Ask')[0].optimization as { cache: string }).cache).toBe('hit');
		expect(stub.upstreamCalls()).toBe(4);
	});

	it('keeps the cache across a restart through static data, unless persistence is off', async () => {
		const { harness } = aiHarness(stub.url);
		const persisted = aiWorkflow({}, { id: 'persistWf' });
		const memoryOnly = aiWorkflow({ optimization: { persistCache: false } }, { id: 'privateWf' });
		harness.database.add(persisted);
		harness.database.add(memoryOnly);
		await harness.run(persisted, { input: prompts('remember me') });
		await harness.run(memoryOnly, { input: prompts('secret prompt') });
		expect(JSON.stringify(harness.database.readStaticData('privateWf'))).not.toContain('secret prompt');
		resetSharedProcessState();
		const afterRestart = await harness.run(persisted, { input: prompts('remember me') });
		expect((afterRestart.json('Ask')[0].optimization as { cache: string }).cache).toBe('hit');
		const privateAfterRestart = await harness.run(memoryOnly, { input: prompts('secret prompt') });
		expect((privateAfterRestart.json('Ask')[0].optimization as { cache: string }).cache).toBe('miss');
		expect(stub.upstreamCalls()).toBe(3);
	});

	it('shares answers between nodes with the workflow scope, not with the node scope', async () => {
		const { harness } = aiHarness(stub.url);
		await harness.run(aiWorkflow({}, { nodeName: 'First' }), { input: prompts('shared?') });
		const nodeScoped = await harness.run(aiWorkflow({}, { nodeName: 'Second' }), { input: prompts('shared?') });
		expect((nodeScoped.json('Second')[0].optimization as { cache: string }).cache).toBe('miss');
		const wide = { optimization: { cacheScope: 'workflow' } };
		await harness.run(aiWorkflow(wide, { nodeName: 'Third' }), { input: prompts('wide') });
		const fromOtherNode = await harness.run(aiWorkflow(wide, { nodeName: 'Fourth' }), { input: prompts('wide') });
		expect((fromOtherNode.json('Fourth')[0].optimization as { cache: string }).cache).toBe('hit');
	});
});
