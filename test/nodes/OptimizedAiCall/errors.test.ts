import { resetSharedProcessState } from '../../../lib/state';
import { openAiErrorBody, type LlmStub } from '../../helpers/llmStub';
import { useLlmStub } from './useStub';
import { aiHarness, aiWorkflow, prompts, STUB_KEY } from './aiWorkflow';

describe('Optimized AI Call: errors and retries', () => {
	const stubHolder = useLlmStub();
	let stub: LlmStub;
	beforeEach(() => {
		stub = stubHolder.current;
	});

	it('names the item and the field of a missing prompt', async () => {
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(aiWorkflow({}), { input: [{ prompt: 'fine' }, { prompt: '' }] });
		expect(result.status).toBe('error');
		expect(result.nodeError('Ask')).toBe("Item 1: 'User Prompt' is empty");
	});

	it('with continue on fail, gives the bad item its error and answers the others', async () => {
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(aiWorkflow({}, { continueOnFail: true }), {
			input: [{ prompt: 'one' }, { prompt: '   ' }, { prompt: 'three' }],
		});
		const items = result.json('Ask');
		expect(items).toHaveLength(3);
		expect(items[0].text).toBe('echo: one');
		expect(items[1]).toMatchObject({ error: "Item 1: 'User Prompt' is empty", errorClass: 'validation' });
		expect(items[2].text).toBe('echo: three');
		expect(result.items('Ask').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('rejects malformed messages JSON with the field named', async () => {
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(aiWorkflow({ promptSource: 'messages', messages: '[{"role": "user", "content": ' }));
		expect(result.nodeError('Ask')).toMatch(/^Item 0: 'Messages' is not valid JSON/);
	});

	it('retries 5xx with backoff and reports the provider status when attempts run out', async () => {
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(aiWorkflow({ optimization: { maxAttempts: 2 } }, { continueOnFail: true }), {
			input: prompts('[[status:500]] please'),
		});
		expect(stub.upstreamCalls()).toBe(2);
		expect(result.json('Ask')[0]).toMatchObject({ errorClass: 'server', httpCode: '500' });
		expect(String(result.json('Ask')[0].error)).toMatch(/HTTP 500/);
	});

	it('honours retry-after-ms on a 429 and then succeeds', async () => {
		stub.enqueue({ status: 429, headers: { 'retry-after-ms': '30' }, body: openAiErrorBody('Slow down', 'rate_limit_error', 'rate_limit_exceeded') });
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(aiWorkflow({}), { input: prompts('after a pause') });
		expect(result.json('Ask')[0]).toMatchObject({ text: 'echo: after a pause', optimization: { attempts: 2 } });
		const [first, second] = stub.requests.filter((request) => request.path.endsWith('/chat/completions'));
		expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(25);
	});

	it('does not retry insufficient_quota', async () => {
		stub.enqueue({ status: 429, body: openAiErrorBody('You exceeded your current quota', 'insufficient_quota', 'insufficient_quota') });
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(aiWorkflow({}, { continueOnFail: true }), { input: prompts('x') });
		expect(stub.upstreamCalls()).toBe(1);
		expect(result.json('Ask')[0]).toMatchObject({ errorClass: 'client', httpCode: '429' });
	});

	it('times out a hanging provider and says so', async () => {
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(
			aiWorkflow({ requestOptions: { timeoutMs: 150 }, optimization: { maxAttempts: 1 } }, { continueOnFail: true }),
			{ input: prompts('[[hang]]') },
		);
		expect(result.json('Ask')[0]).toMatchObject({ errorClass: 'timeout' });
		expect(String(result.json('Ask')[0].error)).toMatch(/no answer within 150 ms/);
	});

	it('reports a malformed provider body as an error, not a crash', async () => {
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(aiWorkflow({ optimization: { maxAttempts: 1 } }, { continueOnFail: true }), {
			input: prompts('[[malformed]]', 'fine'),
		});
		expect(String(result.json('Ask')[0].error)).toMatch(/not JSON/);
		expect(result.json('Ask')[1].text).toBe('echo: fine');
	});

	it('parses JSON-mode answers and rejects invalid JSON per item', async () => {
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(aiWorkflow({ responseFormat: 'json' }, { continueOnFail: true }), {
			input: prompts('give json', '[[invalid-json]]'),
		});
		expect(result.json('Ask')[0].json).toEqual({ echo: 'give json' });
		expect(result.json('Ask')[1]).toMatchObject({ errorClass: 'validation' });
		expect(String(result.json('Ask')[1].error)).toMatch(/not valid JSON/);
	});

	it('never lets the API key reach output, errors or static data', async () => {
		const { harness } = aiHarness(stub.url);
		const workflow = aiWorkflow({ requestOptions: { includeRaw: true } }, { continueOnFail: true, credentialId: 'openai' });
		harness.database.add(workflow);
		stub.enqueue({ status: 401, body: openAiErrorBody(`Incorrect API key provided: ${STUB_KEY}`, 'invalid_request_error', 'invalid_api_key') });
		const result = await harness.run(workflow, { input: prompts('one', 'two') });
		const everything = JSON.stringify([result.json('Ask'), result.savedStaticData, result.run.data.resultData]);
		expect(everything).toContain('echo: two');
		expect(everything).toContain('[redacted]');
		expect(everything).not.toContain(STUB_KEY);
		expect(everything).not.toContain(STUB_KEY.slice(0, 8));
	});
});
