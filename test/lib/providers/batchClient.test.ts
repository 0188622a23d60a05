import { buildHttpRequest, createBatchClient, ProviderError, resolveEndpoint, type ChatRequest, type ProviderKind } from '../../../lib/providers';
import { startLlmStub, type LlmStub } from '../../helpers/llmStub';

const request: ChatRequest = {
	model: 'gpt-4o-mini',
	system: 'Be brief.',
	messages: [{ role: 'user', content: 'hello' }],
	temperature: 0,
	maxTokens: 50,
	stop: ['END'],
	responseFormat: 'text',
	extraBody: { user: 'u1' },
};

describe.each<ProviderKind>(['openAiCompatible', 'anthropic'])('batch client (%s)', (provider) => {
	let stub: LlmStub;
	beforeAll(async () => {
		stub = await startLlmStub({ apiKey: 'sk-batch-secret' });
	});
	afterAll(async () => stub.close());
	beforeEach(() => stub.reset());

	const endpointFor = (apiKey = 'sk-batch-secret') =>
		resolveEndpoint({ provider, baseUrl: provider === 'anthropic' ? stub.anthropicBaseUrl : stub.openAiBaseUrl, apiKey });

	it('encodes a line with the very body a sent request would post', () => {
		const endpoint = endpointFor();
		const line = JSON.parse(createBatchClient(endpoint, { timeoutMs: 1000 }).encodeLine({ customId: 'k1', request }));
		const sent = buildHttpRequest(request, endpoint).body;
		if (provider === 'anthropic') expect(line).toEqual({ custom_id: 'k1', params: sent });
		else expect(line).toEqual({ custom_id: 'k1', method: 'POST', url: '/v1/chat/completions', body: sent });
	});

	it('submits, polls and reads the results from the endpoint itself', async () => {
		const client = createBatchClient(endpointFor(), { timeoutMs: 2000 });
		stub.batches.configure({ completionDelayMs: 60_000 });
		const submitted = await client.submit([client.encodeLine({ customId: 'k1', request })]);
		expect(submitted.phase).toBe('inProgress');
		stub.batches.finishAll();
		const ended = await client.status(submitted.id);
		expect(ended.phase).toBe('ended');
		const results = await client.results(ended);
		expect(results).toEqual([{ customId: 'k1', result: expect.objectContaining({ text: 'echo: hello', finishReason: 'stop' }) }]);
		// Anthropic's answer names a results URL on another host; the key must only ever go to the base URL.
		expect(stub.requests.every((entry) => entry.path.startsWith('/v1/'))).toBe(true);
	});

	it('fails with a ProviderError that carries no secret', async () => {
		const client = createBatchClient(endpointFor('sk-wrong-secret'), { timeoutMs: 2000 });
		const failure = await client.submit([client.encodeLine({ customId: 'k1', request })]).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(ProviderError);
		expect((failure as ProviderError).status).toBe(401);
		expect(JSON.stringify({ message: (failure as Error).message, ...(failure as object) })).not.toContain('sk-wrong-secret');
	});

	it('reports a batch the provider does not know as a 404', async () => {
		const client = createBatchClient(endpointFor(), { timeoutMs: 2000 });
		await expect(client.status('batch_missing')).rejects.toMatchObject({ status: 404 });
	});

	it('keeps to the smaller of its own and the provider\'s limits', () => {
		const client = createBatchClient(endpointFor(), { timeoutMs: 1000, limits: { maxRequests: 10, maxBytes: 10 ** 12 } });
		expect(client.limits.maxRequests).toBe(10);
		expect(client.limits.maxBytes).toBe(provider === 'anthropic' ? 256 * 1024 * 1024 : 200 * 1024 * 1024);
	});
});
