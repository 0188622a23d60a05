import { BatchStoppedError, deliverInBatches, type BatchDeliveryResult, type ItemDelivery } from '../../../lib/batchDelivery';
import { cacheKeyFor } from '../../../lib/aiCall';
import { costOf } from '../../../lib/pricing';
import { BatchRequestError, type ProviderKind } from '../../../lib/providers';
import { startLlmStub, type LlmStub } from '../../helpers/llmStub';
import { BATCH_PRICE, batchOnStub, batchSettings, items, request, StoreOnStaticData } from './batchOnStub';

function answered(delivery: ItemDelivery | undefined) {
	if (!delivery || !('outcome' in delivery)) throw new Error(`expected an answer, got ${delivery && 'error' in delivery ? String(delivery.error) : 'nothing'}`);
	return delivery;
}

function failed(delivery: ItemDelivery | undefined): Error & Record<string, unknown> {
	if (!delivery || !('error' in delivery)) throw new Error('expected an error');
	return delivery.error as Error & Record<string, unknown>;
}

const texts = (result: BatchDeliveryResult, count: number) => Array.from({ length: count }, (_, index) => answered(result.items.get(index)).outcome.text);

describe.each<ProviderKind>(['openAiCompatible', 'anthropic'])('provider batch delivery (%s)', (provider) => {
	let stub: LlmStub;
	beforeAll(async () => {
		stub = await startLlmStub();
	});
	afterAll(async () => stub.close());
	beforeEach(() => stub.reset());

	it('submits each distinct uncached request once and hands every item its answer at batch prices', async () => {
		const state = new StoreOnStaticData();
		const deps = batchOnStub(stub, provider, state.store);
		// One answer already cached: it is served and never submitted.
		const warm = await deliverInBatches(items('cached one'), batchSettings, deps);
		expect(answered(warm.items.get(0)).outcome.cache).toBe('miss');
		stub.reset();

		const result = await deliverInBatches(items('a', 'b', 'a', 'cached one', 'c', 'b'), batchSettings, deps);
		expect(texts(result, 6)).toEqual(['echo: a', 'echo: b', 'echo: a', 'echo: cached one', 'echo: c', 'echo: b']);
		expect(stub.batches.stats()).toMatchObject({ batchesCreated: 1, requestsSubmitted: 3 });
		expect(stub.upstreamCalls()).toBe(0);
		const outcomes = [0, 1, 2, 3, 4, 5].map((index) => answered(result.items.get(index)));
		expect(outcomes.map((item) => item.outcome.cache)).toEqual(['miss', 'miss', 'coalesced', 'hit', 'miss', 'coalesced']);
		expect(outcomes[3].batchId).toBeUndefined();
		expect(outcomes[0].batchId).toBe(result.batches[0].batchId);

		const paid = outcomes[0].outcome;
		const immediate = costOf(paid.usage, BATCH_PRICE);
		expect(paid.costUsd).toBeCloseTo(immediate / 2, 12);
		expect(paid.savedUsd).toBeCloseTo(immediate / 2, 12);
		expect(outcomes[2].outcome).toMatchObject({ costUsd: 0, attempts: 0 });
		expect(outcomes[2].outcome.savedUsd).toBeCloseTo(immediate, 12);
		expect(result.batches).toEqual([expect.objectContaining({ requests: 3, resumed: false })]);
		expect(result.batches[0].costUsd).toBeGreaterThan(0);

		// Answers went into the cache like immediate ones; the batch record is gone.
		stub.reset();
		const again = await deliverInBatches(items('a', 'b', 'c'), batchSettings, deps);
		expect([0, 1, 2].map((index) => answered(again.items.get(index)).outcome.cache)).toEqual(['hit', 'hit', 'hit']);
		expect(stub.batches.stats().batchesCreated).toBe(0);
		expect(await state.store.records.list('aiBatch:')).toEqual([]);
	});

	it('fails only the request the provider refused, naming the cause', async () => {
		const deps = batchOnStub(stub, provider, new StoreOnStaticData().store);
		const result = await deliverInBatches(items('fine', 'broken [[status:400]]'), batchSettings, deps);
		expect(answered(result.items.get(0)).outcome.text).toBe('echo: fine');
		const error = failed(result.items.get(1));
		expect(error).toBeInstanceOf(BatchRequestError);
		expect(error.message).toContain(result.batches[0].batchId);
		expect(error.errorClass).toBe('client');
	});

	it('turns an expired batch into per-item timeout errors and forgets it', async () => {
		const state = new StoreOnStaticData();
		stub.batches.configure({ expire: true, completionDelayMs: 20 });
		const result = await deliverInBatches(items('x', 'y'), batchSettings, batchOnStub(stub, provider, state.store));
		for (const index of [0, 1]) {
			const error = failed(result.items.get(index));
			expect(error.message).toMatch(/expired/);
			expect(error.errorClass).toBe('timeout');
		}
		expect(await state.store.records.list('aiBatch:')).toEqual([]);
	});

	it('resumes a batch recorded by an earlier run after a restart instead of paying again', async () => {
		const state = new StoreOnStaticData();
		stub.batches.configure({ completionDelayMs: 60_000 });
		const first = await deliverInBatches(items('p', 'q', 'p'), { ...batchSettings, maxWaitMs: 50 }, batchOnStub(stub, provider, state.store));
		const stopped = failed(first.items.get(0));
		expect(stopped).toBeInstanceOf(BatchStoppedError);
		expect(stopped.message).toMatch(/still in progress after the maximum wait/);
		expect(stopped.errorClass).toBe('timeout');
		expect(await state.store.records.list('aiBatch:')).toHaveLength(1);

		await state.restart();
		stub.batches.finishAll();
		const second = await deliverInBatches(items('p', 'q', 'p'), batchSettings, batchOnStub(stub, provider, state.store));
		expect(texts(second, 3)).toEqual(['echo: p', 'echo: q', 'echo: p']);
		expect(second.batches).toEqual([expect.objectContaining({ batchId: first.batches[0].batchId, resumed: true })]);
		expect(stub.batches.stats()).toMatchObject({ batchesCreated: 1, requestsSubmitted: 2 });
	});

	it('submits anew when the recorded batch is gone at the provider', async () => {
		const state = new StoreOnStaticData();
		stub.batches.configure({ completionDelayMs: 60_000 });
		await deliverInBatches(items('gone'), { ...batchSettings, maxWaitMs: 20 }, batchOnStub(stub, provider, state.store));
		stub.reset();
		const result = await deliverInBatches(items('gone'), batchSettings, batchOnStub(stub, provider, state.store));
		expect(answered(result.items.get(0)).outcome.text).toBe('echo: gone');
		expect(result.batches[0].resumed).toBe(false);
		expect(stub.batches.stats().batchesCreated).toBe(1);
	});

	it('stops at once when the execution is cancelled, cancelling the provider batch when asked to', async () => {
		stub.batches.configure({ completionDelayMs: 60_000 });
		for (const cancelOnStop of [true, false]) {
			stub.reset();
			stub.batches.configure({ completionDelayMs: 60_000 });
			const state = new StoreOnStaticData();
			const controller = new AbortController();
			const deps = { ...batchOnStub(stub, provider, state.store), signal: controller.signal };
			setTimeout(() => controller.abort(), 30);
			const started = Date.now();
			const result = await deliverInBatches(items('stop me'), { ...batchSettings, pollIntervalMs: 1000, cancelOnStop }, deps);
			expect(Date.now() - started).toBeLessThan(900);
			const error = failed(result.items.get(0));
			expect(error.errorClass).toBe('cancelled');
			expect(stub.batches.stats().batchesCancelled).toBe(cancelOnStop ? 1 : 0);
			expect(await state.store.records.list('aiBatch:')).toHaveLength(cancelOnStop ? 0 : 1);
		}
	});

	it('leaves the batch recorded when n8n shuts down while waiting', async () => {
		stub.batches.configure({ completionDelayMs: 60_000 });
		const state = new StoreOnStaticData();
		const shutdown = new AbortController();
		setTimeout(() => shutdown.abort(), 20);
		const result = await deliverInBatches(items('later'), batchSettings, { ...batchOnStub(stub, provider, state.store), shutdown: shutdown.signal });
		expect(failed(result.items.get(0)).message).toMatch(/n8n is shutting down while the provider batch \S+ is in progress/);
		expect(await state.store.records.list('aiBatch:')).toHaveLength(1);
		expect(stub.batches.stats().batchesCancelled).toBe(0);
	});

	it('splits the requests into batches within the limit, the same way on every run', async () => {
		const state = new StoreOnStaticData();
		const prompts = ['1', '2', '3', '4', '5', '6', '7'];
		const result = await deliverInBatches(items(...prompts), batchSettings, batchOnStub(stub, provider, state.store, { maxRequests: 3 }));
		expect(texts(result, 7)).toEqual(prompts.map((prompt) => `echo: ${prompt}`));
		expect(result.batches.map((batch) => batch.requests)).toEqual([3, 3, 1]);
		expect(stub.batches.stats()).toMatchObject({ batchesCreated: 3, requestsSubmitted: 7 });
	});

	it('refuses a request larger than a batch may hold, before submitting anything for it', async () => {
		const deps = batchOnStub(stub, provider, new StoreOnStaticData().store, { maxBytes: 1500 });
		const result = await deliverInBatches(items('small', 'large '.repeat(400)), batchSettings, deps);
		expect(answered(result.items.get(0)).outcome.text).toBe('echo: small');
		expect(failed(result.items.get(1)).message).toMatch(/more than one batch may hold \(1500 bytes\)/);
		expect(stub.batches.stats().requestsSubmitted).toBe(1);
	});

	it('names each request by its cache key, so results map back whatever order they come in', async () => {
		const deps = batchOnStub(stub, provider, new StoreOnStaticData().store);
		await deliverInBatches(items('keyed'), batchSettings, deps);
		const submitted = stub.requests.find((entry) => entry.method === 'POST' && /\/(files|messages\/batches)$/.test(entry.path));
		const text = typeof submitted?.body === 'string' ? submitted.body : JSON.stringify(submitted?.body);
		expect(text).toContain(cacheKeyFor(request('keyed'), deps.endpoint));
	});
});
