import {
	buildBatchPayload,
	lookupBatchResults,
	resultCacheKey,
	storeBatchResults,
	type ResultCacheStore,
} from '../../../../lib/dispatch/batches';
import type { CacheHandle } from '../../../../lib/state';
import type { JsonValue } from '../../../../lib/shared/json';

class MemoryStore implements ResultCacheStore {
	readonly entries = new Map<string, { value: JsonValue; ttlMs: number; persist?: boolean }>();
	async get(key: string) {
		return this.entries.get(key);
	}
	async set(key: string, value: JsonValue, options: { ttlMs: number; persist?: boolean }) {
		this.entries.set(key, { value, ...options });
	}
}

describe('resultCacheKey', () => {
	const workflow = { workflowId: 'wf-1' };

	it('is stable under key order and ignores the correlation field', () => {
		const a = resultCacheKey(workflow, [{ x: 1, y: { b: 2, a: 1 } }]);
		const b = resultCacheKey(workflow, [{ y: { a: 1, b: 2 }, x: 1 }]);
		const sent = buildBatchPayload({ itemIndexes: [0] }, [{ x: 1, y: { a: 1, b: 2 } }], { batchId: 'id' }).items;
		expect(a).toMatch(/^[0-9a-f]{64}$/);
		expect(b).toBe(a);
		expect(resultCacheKey(workflow, sent)).toBe(a);
		expect(resultCacheKey(workflow, [{ x: 1, y: { a: 1, b: 2 }, row: 9 }], { correlationField: 'row' })).toBe(a);
	});

	it('differs for different targets', () => {
		const items = [{ x: 1 }];
		const keys = [
			resultCacheKey({ workflowId: 'wf-1' }, items),
			resultCacheKey({ workflowId: 'wf-2' }, items),
			resultCacheKey({ webhookUrls: ['https://a.example/webhook/x'] }, items),
			resultCacheKey({ webhookUrls: ['https://b.example/webhook/x'] }, items),
		];
		expect(new Set(keys).size).toBe(keys.length);
	});

	it('treats webhook URLs as a set', () => {
		const items = [{ x: 1 }];
		expect(resultCacheKey({ webhookUrls: ['https://b', 'https://a'] }, items)).toBe(
			resultCacheKey({ webhookUrls: ['https://a', 'https://b', 'https://a'] }, items),
		);
	});

	it('differs for other items or another item order', () => {
		expect(resultCacheKey(workflow, [{ x: 1 }, { x: 2 }])).not.toBe(resultCacheKey(workflow, [{ x: 2 }, { x: 1 }]));
		expect(resultCacheKey(workflow, [{ x: 1 }])).not.toBe(resultCacheKey(workflow, [{ x: '1' }]));
	});

	it('validates the target', () => {
		expect(() => resultCacheKey({ workflowId: '' }, [])).toThrow('Expected `target.workflowId`');
		expect(() => resultCacheKey({ webhookUrls: [] }, [])).toThrow('Expected `target.webhookUrls`');
		expect(() => resultCacheKey({} as { workflowId: string }, [])).toThrow(
			'Expected `target` to be { workflowId } or { webhookUrls }',
		);
	});
});

describe('storeBatchResults / lookupBatchResults', () => {
	it('serves stored results to a later batch of the same items at other indexes', async () => {
		const store = new MemoryStore();
		const results = new Map([
			[0, [{ r: 'a' }]],
			[1, []],
			[2, [{ r: 'c1' }, { r: 'c2' }]],
		]);
		await storeBatchResults(store, 'k', { itemIndexes: [0, 1, 2] }, results, { ttlMs: 60_000 });
		expect([...store.entries.values()][0]).toMatchObject({ ttlMs: 60_000, persist: true });

		const hit = await lookupBatchResults(store, 'k', { itemIndexes: [10, 11, 12] });
		expect(hit && [...hit]).toEqual([
			[10, [{ r: 'a' }]],
			[11, []],
			[12, [{ r: 'c1' }, { r: 'c2' }]],
		]);
	});

	it('hands out copies, so later changes do not reach the cache', async () => {
		const store = new MemoryStore();
		const result = { r: 'a' };
		await storeBatchResults(store, 'k', { itemIndexes: [0] }, new Map([[0, [result]]]), { ttlMs: 0 });
		result.r = 'changed';
		const first = await lookupBatchResults(store, 'k', { itemIndexes: [0] });
		first!.get(0)![0].r = 'changed too';
		const second = await lookupBatchResults(store, 'k', { itemIndexes: [0] });
		expect(second!.get(0)).toEqual([{ r: 'a' }]);
	});

	it('misses on unknown keys and on stored values that do not fit the batch', async () => {
		const store = new MemoryStore();
		expect(await lookupBatchResults(store, 'none', { itemIndexes: [0] })).toBeUndefined();
		await store.set('wrong-count', { v: 1, results: [[], []] }, { ttlMs: 0 });
		await store.set('old-schema', { v: 0, results: [[]] }, { ttlMs: 0 });
		await store.set('not-objects', { v: 1, results: [['x']] }, { ttlMs: 0 });
		for (const key of ['wrong-count', 'old-schema', 'not-objects']) {
			expect(await lookupBatchResults(store, key, { itemIndexes: [0] })).toBeUndefined();
		}
	});

	it('refuses to store an incomplete mapping or a negative TTL', async () => {
		const store = new MemoryStore();
		await expect(storeBatchResults(store, 'k', { itemIndexes: [0, 1] }, new Map([[0, []]]), { ttlMs: 0 })).rejects.toThrow(
			'Expected results for item 1 of the batch',
		);
		await expect(storeBatchResults(store, 'k', { itemIndexes: [0] }, new Map([[0, []]]), { ttlMs: -1 })).rejects.toThrow(
			'Expected `ttlMs`',
		);
	});

	it("accepts lib/state's CacheHandle as its store", () => {
		const asStore = (handle: CacheHandle): ResultCacheStore => handle;
		expect(typeof asStore).toBe('function');
	});
});
