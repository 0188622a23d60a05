import { listModels, MAX_LISTED_MODELS, ProviderError, resolveEndpoint, type FetchLike, type ProviderEndpoint } from '../../../lib/providers';
import { DEFAULT_STUB_API_KEY, STUB_MODELS, startLlmStub, type LlmStub } from '../../helpers/llmStub';
import { rejectionOf } from '../../helpers/thrownError';

const WRONG_KEY = 'sk-wrong-secret-1234';

const failureOf = (promise: Promise<unknown>) => rejectionOf(ProviderError, promise);

/** `count` model ids that do not sort in the order they are listed. */
const manyModels = (count: number) => Array.from({ length: count }, (_, index) => `model-${String((index * 7919) % count).padStart(5, '0')}`);

describe('listModels', () => {
	let stub: LlmStub;
	let openAi: ProviderEndpoint;
	let anthropic: ProviderEndpoint;

	beforeAll(async () => {
		stub = await startLlmStub();
		openAi = resolveEndpoint({ provider: 'openAiCompatible', baseUrl: `${stub.openAiBaseUrl}/`, apiKey: DEFAULT_STUB_API_KEY });
		anthropic = resolveEndpoint({ provider: 'anthropic', baseUrl: stub.anthropicBaseUrl, apiKey: DEFAULT_STUB_API_KEY });
	});
	afterEach(() => stub.reset());
	afterAll(async () => await stub.close());

	it("lists an OpenAI-compatible account's models, sorted by id, with their creation date", async () => {
		const models = await listModels(openAi, { timeoutMs: 5000 });
		expect(models.map((model) => model.id)).toEqual([...STUB_MODELS].sort());
		expect(models[0]).toEqual({ id: 'claude-3-5-haiku-latest', createdAt: '2025-01-15T00:00:00.000Z' });
		expect(stub.requests).toHaveLength(1);
		expect(stub.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models', query: {} });
		expect(stub.requests[0].headers.authorization).toBe(`Bearer ${DEFAULT_STUB_API_KEY}`);
	});

	it("lists Anthropic's models with their display names through Anthropic's own route and headers", async () => {
		const models = await listModels(anthropic, { timeoutMs: 5000 });
		expect(models.map((model) => model.id)).toEqual([...STUB_MODELS].sort());
		expect(models).toContainEqual({ id: 'claude-sonnet-4-0', name: 'Claude Sonnet 4 0', createdAt: '2025-01-15T00:00:00.000Z' });
		expect(stub.requests).toHaveLength(1);
		expect(stub.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models', query: { limit: '1000' } });
		expect(stub.requests[0].headers).toMatchObject({ 'x-api-key': DEFAULT_STUB_API_KEY, 'anthropic-version': '2023-06-01' });
		expect(stub.requests[0].headers.authorization).toBeUndefined();
	});

	it("follows Anthropic's pages (has_more, last_id) until the last one", async () => {
		const ids = manyModels(2500);
		stub.setModels(ids);
		const models = await listModels(anthropic, { timeoutMs: 5000 });
		expect(models).toHaveLength(2500);
		expect(models.map((model) => model.id)).toEqual([...ids].sort());
		expect(stub.requests.map((request) => request.query)).toEqual([
			{ limit: '1000' },
			{ limit: '1000', after_id: ids[999] },
			{ limit: '1000', after_id: ids[1999] },
		]);
	});

	it('stops at 5,000 models and reads no page beyond them', async () => {
		stub.setModels(manyModels(7200));
		const anthropicModels = await listModels(anthropic, { timeoutMs: 5000 });
		expect(anthropicModels).toHaveLength(MAX_LISTED_MODELS);
		expect(stub.requests).toHaveLength(5);
		const ids = anthropicModels.map((model) => model.id);
		expect(ids).toEqual([...ids].sort());

		const openAiModels = await listModels(openAi, { timeoutMs: 5000 });
		expect(openAiModels).toHaveLength(MAX_LISTED_MODELS);
	});

	it('reads at most 10 pages from a provider that always says there is more', async () => {
		let page = 0;
		const endless: FetchLike = async () => {
			page++;
			const body = { data: [{ type: 'model', id: `m-${page}` }], has_more: true, first_id: `m-${page}`, last_id: `m-${page}` };
			return { status: 200, headers: { get: () => null }, text: async () => JSON.stringify(body) };
		};
		const models = await listModels(anthropic, { timeoutMs: 5000, fetch: endless });
		expect(page).toBe(10);
		expect(models).toHaveLength(10);
	});

	it('refuses a wrong key with a ProviderError that does not show the key', async () => {
		for (const provider of ['openAiCompatible', 'anthropic'] as const) {
			const baseUrl = provider === 'anthropic' ? stub.anthropicBaseUrl : stub.openAiBaseUrl;
			const error = await failureOf(listModels(resolveEndpoint({ provider, baseUrl, apiKey: WRONG_KEY }), { timeoutMs: 5000 }));
			expect(error.status).toBe(401);
			expect(error.errorClass).toBe('auth');
			expect(error.message).toContain('HTTP 401');
			expect(error.message).not.toContain(WRONG_KEY);
		}
	});

	it('gives up after the timeout with a ProviderError that says so', async () => {
		stub.setModelsLatency(2000);
		const started = Date.now();
		const error = await failureOf(listModels(openAi, { timeoutMs: 100 }));
		expect(Date.now() - started).toBeLessThan(1500);
		expect(error.message).toContain('no answer within 100 ms');
		expect(error.errorClass).toBe('timeout');
	});

	it('reports an answer without a model list as a malformed response', async () => {
		const notAList: FetchLike = async () => ({ status: 200, headers: { get: () => null }, text: async () => '{"models":[]}' });
		const error = await failureOf(listModels(openAi, { timeoutMs: 5000, fetch: notAList }));
		expect(error.code).toBe('malformed_response');
	});

	it('reports an unreachable provider as a network failure', async () => {
		const closed = resolveEndpoint({ provider: 'openAiCompatible', baseUrl: 'http://127.0.0.1:9/v1', apiKey: WRONG_KEY });
		const error = await failureOf(listModels(closed, { timeoutMs: 5000 }));
		expect(error.status).toBeUndefined();
		expect(error.message).toContain('could not be reached');
		expect(error.message).not.toContain(WRONG_KEY);
	});
});
