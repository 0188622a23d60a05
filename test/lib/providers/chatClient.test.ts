import { createChatClient, ProviderError, resolveEndpoint, type ChatRequest, type ProviderEndpoint } from '../../../lib/providers';
import { DEFAULT_STUB_API_KEY, startLlmStub, type LlmStub } from '../../helpers/llmStub';

const request: ChatRequest = {
	model: 'gpt-4o-mini',
	system: 'Be brief.',
	messages: [{ role: 'user', content: 'Capital of France?' }],
	temperature: 0,
	responseFormat: 'text',
};

describe('createChatClient', () => {
	let stub: LlmStub;
	let openAi: ProviderEndpoint;
	let anthropic: ProviderEndpoint;

	beforeAll(async () => {
		stub = await startLlmStub();
		// Trailing slashes as users type them: the endpoint removes them once.
		openAi = resolveEndpoint({ provider: 'openAiCompatible', baseUrl: `${stub.openAiBaseUrl}/`, apiKey: DEFAULT_STUB_API_KEY });
		anthropic = resolveEndpoint({ provider: 'anthropic', baseUrl: `${stub.anthropicBaseUrl}/`, apiKey: DEFAULT_STUB_API_KEY });
	});
	afterEach(() => stub.reset());
	afterAll(async () => await stub.close());

	it('sends an OpenAI-compatible chat completion to the endpoint and returns the answer', async () => {
		const client = createChatClient(openAi, { timeoutMs: 5000 });
		const result = await client.send(request);
		expect(result).toMatchObject({ text: 'echo: Capital of France?', finishReason: 'stop', hasToolCalls: false });
		expect(result.usage.input).toBeGreaterThan(0);
		expect(stub.requests).toHaveLength(1);
		expect(stub.requests[0].path).toBe('/v1/chat/completions');
		expect(stub.requests[0].headers.authorization).toBe(`Bearer ${DEFAULT_STUB_API_KEY}`);
		expect(stub.requests[0].body.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
		expect(client.endpoint).toBe(openAi);
	});

	it('sends the same request to Anthropic through its own API', async () => {
		const result = await createChatClient(anthropic, { timeoutMs: 5000 }).send({ ...request, model: 'claude-3-5-haiku-latest' });
		expect(result).toMatchObject({ text: 'echo: Capital of France?', finishReason: 'stop' });
		expect(stub.requests[0].path).toBe('/v1/messages');
		expect(stub.requests[0].headers['x-api-key']).toBe(DEFAULT_STUB_API_KEY);
		expect(stub.requests[0].body.system).toBe('Be brief.');
	});

	it('fails with a ProviderError that carries no secret when the key is refused', async () => {
		const secretKey = 'sk-test-wrong-account-0123456789';
		const wrong = resolveEndpoint({ provider: 'openAiCompatible', baseUrl: stub.openAiBaseUrl, apiKey: secretKey });
		const error = await createChatClient(wrong, { timeoutMs: 5000 }).send(request).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ProviderError);
		expect(error).toMatchObject({ status: 401, errorClass: 'auth', retryable: false });
		expect(JSON.stringify(error) + (error as Error).message).not.toContain(secretKey);
	});

	it('gives up after the timeout', async () => {
		stub.enqueue({ status: 200, delayMs: 2000 });
		const error = await createChatClient(openAi, { timeoutMs: 50 }).send(request).catch((caught: unknown) => caught);
		expect(error).toMatchObject({ errorClass: 'timeout', retryable: true });
	});

	it('is cancelled by its own signal and by a per-request signal', async () => {
		const execution = new AbortController();
		const client = createChatClient(openAi, { timeoutMs: 0, signal: execution.signal });
		stub.enqueue({ status: 200, hang: true }, { status: 200, hang: true });
		const byExecution = client.send(request).catch((caught: unknown) => caught);
		const perRequest = new AbortController();
		const byRequest = client.send(request, perRequest.signal).catch((caught: unknown) => caught);
		await waitFor(() => stub.upstreamCalls() === 2);
		perRequest.abort();
		expect(await byRequest).toMatchObject({ errorClass: 'cancelled', retryable: false });
		execution.abort();
		expect(await byExecution).toMatchObject({ errorClass: 'cancelled', retryable: false });
	});

	it('keeps at most maxConcurrent requests in flight; the others wait for a slot', async () => {
		stub.setLatency(300);
		const client = createChatClient(openAi, { timeoutMs: 5000, maxConcurrent: 2 });
		const prompts = ['one', 'two', 'three', 'four'];
		const pending = Promise.all(prompts.map((prompt) => client.send({ ...request, messages: [{ role: 'user', content: prompt }] })));
		await waitFor(() => stub.upstreamCalls() === 2);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(stub.upstreamCalls()).toBe(2);
		expect((await pending).map((result) => result.text)).toEqual(prompts.map((prompt) => `echo: ${prompt}`));
		expect(stub.upstreamCalls()).toBe(4);
		stub.setLatency(0);
	});
});

async function waitFor(condition: () => boolean): Promise<void> {
	for (let tries = 0; tries < 200 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 5));
	expect(condition()).toBe(true);
}
