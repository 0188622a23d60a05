import type { IDataObject } from 'n8n-workflow';
import type { LlmStub } from '../../helpers/llmStub';
import { monitorWorkflow } from '../PerfMonitor/monitorWorkflow';
import { useLlmStub } from '../OptimizedAiCall/useStub';
import { agentHarness, agentWorkflow, MODEL_NODE, toolPrompt } from './agentWorkflow';

type Run = Awaited<ReturnType<ReturnType<typeof agentHarness>['run']>>;

/** The model calls of one run as the sub-node's entries in n8n's execution log show them. */
function loggedCalls(run: Run): IDataObject[] {
	return (run.run.data.resultData.runData[MODEL_NODE] ?? []).map((entry) => entry.data?.ai_languageModel?.[0]?.[0]?.json as IDataObject);
}

/** What n8n shows for a failed sub-node: the root node fails with "Error in sub-node ..." and the cause as description. */
function subNodeError(run: Run): string {
	const error = run.run.data.resultData.error as { message?: string; description?: string } | undefined;
	return `${error?.message} | ${error?.description}`;
}

const optimizationOf = (call: IDataObject) => call.optimization as IDataObject;

const OTTERS = { answer: 'answer: fact about otters', steps: 2, toolResults: ['fact about otters'] };

describe('Optimized Chat Model under an agent', () => {
	const stubHolder = useLlmStub();
	let stub: LlmStub;
	beforeEach(() => {
		stub = stubHolder.current;
	});

	it.each([
		['OpenAI-compatible', 'openai', 'gpt-4o-mini'],
		['Anthropic', 'anthropic', 'claude-sonnet-4-6'],
	])('runs a tool-calling agent (%s), then the same run again without any provider call; the tool runs both times', async (_label, credentialId, model) => {
		const harness = agentHarness(stub.url);
		const workflow = agentWorkflow({ credentialId, model: { model: { __rl: true, mode: 'id', value: model } } });
		const first = await harness.run(workflow, { input: [{ prompt: toolPrompt('otters') }] });
		expect(first.error).toBeUndefined();
		expect(first.json('Agent')).toEqual([OTTERS]);
		expect(stub.upstreamCalls()).toBe(2);
		expect(stub.toolCallsIssued()).toBe(1);

		const second = await harness.run(workflow, { input: [{ prompt: toolPrompt('otters') }] });
		expect(second.json('Agent')).toEqual([OTTERS]);
		expect(stub.upstreamCalls()).toBe(2);
		expect(loggedCalls(second).map((call) => optimizationOf(call).cache)).toEqual(['hit', 'hit']);
	});

	it('shows every model call in the sub-node\'s log entry: cache outcome, tokens really spent, cost and savings, the tool calls', async () => {
		const harness = agentHarness(stub.url);
		const workflow = agentWorkflow();
		const first = loggedCalls(await harness.run(workflow, { input: [{ prompt: toolPrompt('otters') }] }));
		expect(first).toHaveLength(2);
		expect(optimizationOf(first[0])).toMatchObject({
			cache: 'miss',
			attempts: 1,
			provider: 'openAiCompatible',
			model: 'gpt-4o-mini',
			finishReason: 'tool_calls',
			toolCalls: [{ name: 'lookup', arguments: '{"topic":"otters"}' }],
		});
		expect(optimizationOf(first[1])).toMatchObject({ cache: 'miss', finishReason: 'stop', toolCalls: [] });
		for (const call of first) {
			expect((call.tokenUsage as IDataObject).promptTokens).toBeGreaterThan(0);
			expect(optimizationOf(call).costUsd).toBeGreaterThan(0);
			expect(call.tokenUsageEstimate).toBeUndefined();
		}
		const second = loggedCalls(await harness.run(workflow, { input: [{ prompt: toolPrompt('otters') }] }));
		second.forEach((call, index) => {
			expect(call.tokenUsage).toEqual({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });
			expect(optimizationOf(call)).toMatchObject({ cache: 'hit', attempts: 0, costUsd: 0, savedUsd: optimizationOf(first[index]).costUsd });
		});
	});

	it('streams the answer as the agent asks for it, stores it once complete and replays it from the cache as a stream', async () => {
		const harness = agentHarness(stub.url);
		const streaming = agentWorkflow({ agent: { stream: true } });
		const first = await harness.run(streaming, { input: [{ prompt: toolPrompt('otters') }] });
		expect(first.error).toBeUndefined();
		expect(first.json('Agent')).toEqual([OTTERS]);
		expect(stub.requests.filter((request) => request.body?.stream === true)).toHaveLength(2);
		const replayed = await harness.run(streaming, { input: [{ prompt: toolPrompt('otters') }] });
		expect(replayed.json('Agent')).toEqual([OTTERS]);
		// The streamed and the whole answer share entries: a run without streaming is served from them too.
		const whole = await harness.run(agentWorkflow(), { input: [{ prompt: toolPrompt('otters') }] });
		expect(whole.json('Agent')).toEqual([OTTERS]);
		expect(stub.upstreamCalls()).toBe(2);
		// Streamed usage is the provider's, not n8n's estimate.
		expect(loggedCalls(first).every((call) => (call.tokenUsage as IDataObject).completionTokens as number > 0)).toBe(true);
	});

	it('shares one provider call per agent step among identical concurrent runs', async () => {
		stub.setLatency(100);
		const harness = agentHarness(stub.url);
		const workflow = agentWorkflow();
		const runs = await Promise.all(Array.from({ length: 6 }, () => harness.run(workflow, { input: [{ prompt: toolPrompt('owls') }] })));
		expect(runs.map((run) => run.json('Agent')[0].answer)).toEqual(Array(6).fill('answer: fact about owls'));
		expect(stub.upstreamCalls()).toBe(2);
	});

	it('asks the provider again for answers with tool calls when Cache Tool-Call Answers is off', async () => {
		const harness = agentHarness(stub.url);
		const workflow = agentWorkflow({ model: { optimization: { cacheToolCalls: false } } });
		await harness.run(workflow, { input: [{ prompt: toolPrompt('otters') }] });
		const second = await harness.run(workflow, { input: [{ prompt: toolPrompt('otters') }] });
		expect(second.json('Agent')).toEqual([OTTERS]);
		expect(loggedCalls(second).map((call) => optimizationOf(call).cache)).toEqual(['miss', 'hit']);
		expect(stub.upstreamCalls()).toBe(3);
	});

	it('keys the cache on the whole conversation: another question, model or tool result is another entry', async () => {
		const harness = agentHarness(stub.url);
		await harness.run(agentWorkflow(), { input: [{ prompt: toolPrompt('otters') }] });
		await harness.run(agentWorkflow(), { input: [{ prompt: toolPrompt('owls') }] });
		expect(stub.upstreamCalls()).toBe(4);
		await harness.run(agentWorkflow({ model: { model: { __rl: true, mode: 'id', value: 'gpt-4o' } } }), { input: [{ prompt: toolPrompt('otters') }] });
		expect(stub.upstreamCalls()).toBe(6);
		const noTool = await harness.run(agentWorkflow({ agent: { withTool: false } }), { input: [{ prompt: toolPrompt('otters') }] });
		expect(noTool.json('Agent')[0].steps).toBe(1);
		expect(stub.upstreamCalls()).toBe(7);
	});

	it('retries a 429 after its Retry-After and still answers', async () => {
		const harness = agentHarness(stub.url);
		stub.enqueue({ status: 429, headers: { 'retry-after': '1' } });
		const started = Date.now();
		const run = await harness.run(agentWorkflow(), { input: [{ prompt: toolPrompt('otters') }] });
		expect(run.error).toBeUndefined();
		expect(run.json('Agent')).toEqual([OTTERS]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(optimizationOf(loggedCalls(run)[0]).attempts).toBe(2);
	});

	it('does not retry a used-up quota, and says so', async () => {
		const harness = agentHarness(stub.url);
		stub.enqueue({
			status: 429,
			headers: { 'retry-after': '1' },
			body: { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', code: 'insufficient_quota' } },
		});
		const run = await harness.run(agentWorkflow(), { input: [{ prompt: toolPrompt('otters') }] });
		expect(run.status).toBe('error');
		expect(subNodeError(run)).toMatch(/current quota.*\(insufficient_quota\).*was not retried: check the plan and billing/);
		expect(stub.upstreamCalls()).toBe(1);
	});

	it('names the field of a bad setting, and never shows the API key of a refused one', async () => {
		const harness = agentHarness(stub.url);
		const emptyModel = await harness.run(agentWorkflow({ model: { model: { __rl: true, mode: 'id', value: ' ' } } }), { input: [{ prompt: 'hi' }] });
		expect(subNodeError(emptyModel)).toMatch(/'Model' is empty/);
		const hot = await harness.run(agentWorkflow({ model: { options: { temperature: 5 } } }), { input: [{ prompt: 'hi' }] });
		expect(subNodeError(hot)).toMatch(/'Sampling Temperature' must be a number from 0 to 2, got 5/);
		const refused = await harness.run(agentWorkflow({ credentialId: 'openai-no-key' }), { input: [{ prompt: 'hi' }] });
		expect(refused.status).toBe('error');
		expect(JSON.stringify(refused.run.data.resultData)).not.toContain('wrong-key');
	});

	it('reports its calls, tokens, cost, savings and hit rate in Perf Monitor like any other component', async () => {
		const harness = agentHarness(stub.url);
		const workflow = agentWorkflow();
		await harness.run(workflow, { input: [{ prompt: toolPrompt('otters') }] });
		await harness.run(workflow, { input: [{ prompt: toolPrompt('otters') }] });
		const report = (await harness.run(monitorWorkflow({ operation: 'getMetrics', window: 5 }, { id: workflow.id }))).json('Monitor')[0] as IDataObject;
		const model = (report.components as IDataObject[]).find((component) => component.node === MODEL_NODE) as IDataObject;
		expect(model).toMatchObject({ component: 'optimizedChatModel', calls: 4, errors: 0 });
		expect(JSON.stringify(model)).toMatch(/"hitRate":0\.5/);
		expect((model.tokens as IDataObject).in).toBeGreaterThan(0);
		expect((model.cost as IDataObject).usd).toBeGreaterThan(0);
		expect((model.cost as IDataObject).savedUsd).toBeCloseTo((model.cost as IDataObject).usd as number, 10);
	});
});

describe('Optimized Chat Model: answers with several tool calls', () => {
	const stubHolder = useLlmStub();

	it.each([
		['OpenAI-compatible, whole', 'openai', false],
		['OpenAI-compatible, streamed', 'openai', true],
		['Anthropic, streamed', 'anthropic', true],
	])('keeps parallel tool calls of one answer apart (%s)', async (_label, credentialId, stream) => {
		const stub = stubHolder.current;
		const harness = agentHarness(stub.url);
		const prompt = 'Two facts [[tool:lookup {"topic":"otters"}]] [[tool:lookup {"topic":"owls"}]]';
		const model = credentialId === 'anthropic' ? { model: { __rl: true, mode: 'id', value: 'claude-sonnet-4-6' } } : {};
		const run = await harness.run(agentWorkflow({ credentialId, model, agent: { stream } }), { input: [{ prompt }] });
		expect(run.error).toBeUndefined();
		expect(run.json('Agent')).toEqual([{ answer: 'answer: fact about otters\nfact about owls', steps: 2, toolResults: ['fact about otters', 'fact about owls'] }]);
		const again = await harness.run(agentWorkflow({ credentialId, model, agent: { stream } }), { input: [{ prompt }] });
		expect(again.json('Agent')).toEqual(run.json('Agent'));
		expect(stub.upstreamCalls()).toBe(2);
	});
});
