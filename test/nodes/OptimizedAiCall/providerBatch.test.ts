import type { IDataObject } from 'n8n-workflow';
import { resetSharedProcessState } from '../../../lib/state';
import type { LlmStub } from '../../helpers/llmStub';
import { monitorNode } from '../PerfMonitor/monitorWorkflow';
import { aiHarness, aiWorkflow, prompts } from './aiWorkflow';
import { useLlmStub } from './useStub';

/** Provider Batch delivery, polling fast enough for tests. */
const batchParameters = (options: IDataObject = {}) => ({ delivery: 'providerBatch', batchOptions: { pollIntervalSeconds: 0.01, ...options } });

/** A maximum wait of about 60 ms, in hours. */
const SHORT_WAIT_HOURS = 60 / 3_600_000;

const optimization = (item: IDataObject) => item.optimization as IDataObject;

describe.each([
	['openai', 'openAiCompatible'],
	['anthropic', 'anthropic'],
])('Optimized AI Call: Provider Batch delivery (%s)', (credentialId, provider) => {
	const stubHolder = useLlmStub();
	let stub: LlmStub;
	beforeEach(() => {
		stub = stubHolder.current;
	});

	it('answers every item in input order through one batch of the distinct uncached prompts, at half price', async () => {
		const { harness } = aiHarness(stub.url);
		const workflow = aiWorkflow(batchParameters(), { credentialId });
		harness.database.add(workflow);
		const immediate = await harness.run(aiWorkflow({}, { credentialId }), { input: prompts('known') });
		const immediateCost = (immediate.json('Ask')[0].cost as IDataObject).usd as number;
		expect(stub.upstreamCalls()).toBe(1);

		const input = prompts('a', 'b', 'a', 'known', 'c', 'a');
		const result = await harness.run(aiWorkflow(batchParameters(), { credentialId }), { input });
		expect(result.status).toBe('success');
		const output = result.json('Ask');
		expect(output.map((item) => item.text)).toEqual(input.map(({ prompt }) => `echo: ${prompt}`));
		expect(result.items('Ask').map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		expect(stub.upstreamCalls()).toBe(1);
		expect(stub.batches.stats()).toMatchObject({ batchesCreated: 1, requestsSubmitted: 3 });
		expect(output.map((item) => optimization(item).cache)).toEqual(['miss', 'miss', 'coalesced', 'hit', 'miss', 'coalesced']);
		const batchId = optimization(output[0]).batchId;
		expect(batchId).toMatch(/^(batch|msgbatch)_stub_/);
		expect(optimization(output[0])).toMatchObject({ delivery: 'batch', provider, model: 'gpt-4o-mini', attempts: 1, finishReason: 'stop' });
		expect(optimization(output[3])).toMatchObject({ delivery: 'batch', cache: 'hit' });
		expect(optimization(output[3]).batchId).toBeUndefined();
		// At half the immediate price, the saving equals the cost; an item sharing the answer saves the whole price.
		const paid = output[0].cost as { usd: number; savedUsd: number };
		expect(paid.usd).toBeGreaterThan(0);
		expect(paid.savedUsd).toBeCloseTo(paid.usd, 8);
		expect((output[2].cost as IDataObject).usd).toBe(0);
		expect((output[2].cost as IDataObject).savedUsd).toBeCloseTo(2 * paid.usd, 7);
		expect(immediateCost).toBeGreaterThan(paid.usd);
		expect(Object.keys(output[0]).sort()).toEqual(Object.keys(immediate.json('Ask')[0]).sort());
	});

	it('resumes the recorded batch after a restart instead of submitting it again', async () => {
		stub.batches.configure({ completionDelayMs: 60_000 });
		const { harness } = aiHarness(stub.url);
		const workflow = aiWorkflow(batchParameters({ maxWaitHours: SHORT_WAIT_HOURS }), { credentialId, id: 'batchWf1' });
		harness.database.add(workflow);
		const input = prompts('x', 'y', 'x');

		const first = await harness.run(workflow, { input });
		expect(first.status).toBe('error');
		expect(first.error).toMatch(/^Item 0: The provider batch \S+ was still in progress after the maximum wait/);
		expect(first.savedStaticData).toBeDefined();

		resetSharedProcessState();
		stub.batches.finishAll();
		const second = await harness.run(aiWorkflow(batchParameters(), { credentialId, id: 'batchWf1' }), { input });
		expect(second.status).toBe('success');
		expect(second.json('Ask').map((item) => item.text)).toEqual(['echo: x', 'echo: y', 'echo: x']);
		expect(stub.batches.stats()).toMatchObject({ batchesCreated: 1, requestsSubmitted: 2 });
		expect(stub.upstreamCalls()).toBe(0);
	});

	it('stops when the execution is cancelled and cancels the provider batch when asked to', async () => {
		stub.batches.configure({ completionDelayMs: 60_000 });
		const { harness } = aiHarness(stub.url);
		const workflow = aiWorkflow(batchParameters({ cancelOnStop: true, pollIntervalSeconds: 5 }), { credentialId });
		const started = Date.now();
		const result = await harness.run(workflow, { input: prompts('stop'), cancelWhen: new Promise((resolve) => setTimeout(resolve, 150)) });
		expect(Date.now() - started).toBeLessThan(3000);
		// The harness, unlike n8n's server, does not mark the run as cancelled when its node ends with an error.
		expect(result.error).toMatch(/^Item 0: The execution was cancelled while waiting for the provider batch/);
		expect(stub.batches.stats()).toMatchObject({ batchesCreated: 1, batchesCancelled: 1 });
	});

	it('with continue-on-fail, gives error items naming the cause and answers for the rest, submitting no bad item', async () => {
		const { harness } = aiHarness(stub.url);
		const workflow = aiWorkflow(batchParameters(), { credentialId, continueOnFail: true });
		const result = await harness.run(workflow, { input: [{ prompt: 'fine' }, { prompt: 'refused [[status:400]]' }, { prompt: '' }] });
		expect(result.status).toBe('success');
		const [fine, refused, empty] = result.items('Ask');
		expect(fine.json.text).toBe('echo: fine');
		expect(refused.json).toMatchObject({ errorClass: 'client', httpCode: '400' });
		expect(refused.json.error).toMatch(/^Item 1: The provider batch \S+ did not answer this request: /);
		expect(refused.pairedItem).toEqual({ item: 1 });
		expect(empty.json).toMatchObject({ error: "Item 2: 'User Prompt' is empty", errorClass: 'validation' });
		expect(empty.json.prompt).toBeUndefined();
		expect(stub.batches.stats().requestsSubmitted).toBe(2);
	});

	it('turns an expired batch into timeout error items', async () => {
		stub.batches.configure({ expire: true });
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(aiWorkflow(batchParameters(), { credentialId, continueOnFail: true }), { input: prompts('late') });
		expect(result.json('Ask')[0]).toMatchObject({ errorClass: 'timeout', error: expect.stringMatching(/expired/) });
	});
});

describe('Optimized AI Call: Provider Batch settings and metrics', () => {
	const stubHolder = useLlmStub();

	it('names a bad batch option by its label', async () => {
		const { harness } = aiHarness(stubHolder.current.url);
		const result = await harness.run(aiWorkflow(batchParameters({ pollIntervalSeconds: 0 })), { input: prompts('a') });
		expect(result.status).toBe('error');
		expect(result.error).toMatch(/'Poll Interval \(Seconds\)' must be a number from 0.01 to 3600, got 0/);
		expect(stubHolder.current.batches.stats().batchesCreated).toBe(0);
	});

	it('shows batch submissions and completions, with cost and savings, in the Prometheus text', async () => {
		const { harness } = aiHarness(stubHolder.current.url);
		const workflow = aiWorkflow(batchParameters());
		workflow.nodes.push(monitorNode('Monitor', { operation: 'exportPrometheus' }));
		workflow.connections.Ask = { main: [[{ node: 'Monitor', type: 'main', index: 0 }]] };
		const result = await harness.run(workflow, { input: prompts('m1', 'm2', 'm1') });
		const text = result.json('Monitor')[0].text as string;
		expect(text).toMatch(/n8n_perf_calls_total\{[^}]*operation="batchSubmit"[^}]*\} 1/);
		expect(text).toMatch(/n8n_perf_calls_total\{[^}]*operation="batchComplete"[^}]*\} 1/);
		expect(text).toMatch(/n8n_perf_cost_saved_usd_total\{[^}]*operation="batchComplete"[^}]*\} [0-9.e-]+/);
		expect(text).toMatch(/n8n_perf_calls_total\{[^}]*operation="chat"[^}]*\} 3/);
	});
});
