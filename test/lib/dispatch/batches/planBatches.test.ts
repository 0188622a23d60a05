import { planBatches, WEBHOOK_HARD_LIMIT_BYTES } from '../../../../lib/dispatch/batches';

/** An item whose JSON is exactly `bytes` long: `{"p":"xxx…"}` takes 8 bytes besides the padding. */
function itemOfBytes(bytes: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
	const base = { ...extra, p: '' };
	const padding = bytes - Buffer.byteLength(JSON.stringify(base));
	if (padding < 0) throw new Error(`cannot make an item of ${bytes} bytes`);
	return { ...extra, p: 'x'.repeat(padding) };
}

function numbered(count: number): Array<Record<string, unknown>> {
	return Array.from({ length: count }, (_, index) => ({ n: index }));
}

describe('planBatches', () => {
	it('batches by count, in input order', () => {
		const plan = planBatches(numbered(250), { maxItems: 100 });
		expect(plan.batches.map((batch) => batch.itemIndexes.length)).toEqual([100, 100, 50]);
		expect(plan.batches.map((batch) => batch.index)).toEqual([0, 1, 2]);
		expect(plan.batches.flatMap((batch) => batch.itemIndexes)).toEqual(numbered(250).map((_, index) => index));
		expect(plan.oversized).toEqual([]);
	});

	it('uses 100 items and 1 MiB by default', () => {
		expect(planBatches(numbered(101)).batches.map((batch) => batch.itemIndexes.length)).toEqual([100, 1]);
	});

	it('reports the exact JSON bytes of each batch', () => {
		const items = [{ a: 'é' }, { b: [1, 2] }, {}];
		const [batch] = planBatches(items).batches;
		expect(batch.bytes).toBe(Buffer.byteLength(JSON.stringify(items)));
	});

	it('closes a batch when the next item would take it over maxBytes', () => {
		const items = Array.from({ length: 5 }, () => itemOfBytes(100));
		// Three items as a JSON array: 2 brackets + 3 × 100 + 2 commas = 304 bytes; a fourth makes 405.
		const plan = planBatches(items, { maxBytes: 404 });
		expect(plan.batches.map((batch) => batch.itemIndexes)).toEqual([
			[0, 1, 2],
			[3, 4],
		]);
		expect(plan.batches.map((batch) => batch.bytes)).toEqual([304, 203]);
		expect(planBatches(items, { maxBytes: 405 }).batches.map((batch) => batch.itemIndexes.length)).toEqual([4, 1]);
	});

	it('sends an item larger than maxBytes alone', () => {
		const items = [itemOfBytes(50), itemOfBytes(50), itemOfBytes(5000), itemOfBytes(50)];
		const plan = planBatches(items, { maxBytes: 1000 });
		expect(plan.batches.map((batch) => batch.itemIndexes)).toEqual([[0, 1], [2], [3]]);
		expect(plan.batches[1].bytes).toBe(5002);
		expect(plan.oversized).toEqual([]);
	});

	it('reports items above the hard limit instead of batching them', () => {
		const items = [itemOfBytes(50), itemOfBytes(3000), itemOfBytes(50)];
		const plan = planBatches(items, { maxBytes: 500, hardLimitBytes: 2000 });
		expect(plan.oversized).toEqual([{ itemIndex: 1, bytes: 3000 }]);
		expect(plan.batches.map((batch) => batch.itemIndexes)).toEqual([[0, 2]]);
	});

	it('counts the array brackets against the hard limit', () => {
		expect(planBatches([itemOfBytes(998)], { hardLimitBytes: 1000 }).oversized).toEqual([]);
		expect(planBatches([itemOfBytes(999)], { hardLimitBytes: 1000 }).oversized).toEqual([{ itemIndex: 0, bytes: 999 }]);
	});

	it('defaults the hard limit to n8n webhook limit of 16 MiB', () => {
		expect(WEBHOOK_HARD_LIMIT_BYTES).toBe(16 * 1024 * 1024);
		const big = itemOfBytes(WEBHOOK_HARD_LIMIT_BYTES + 1);
		expect(planBatches([big, { a: 1 }]).oversized).toEqual([{ itemIndex: 0, bytes: WEBHOOK_HARD_LIMIT_BYTES + 1 }]);
	});

	it('counts the per-item overhead in every size check and in the batch bytes', () => {
		const items = Array.from({ length: 4 }, () => itemOfBytes(100));
		const plan = planBatches(items, { maxBytes: 350, itemOverheadBytes: 15 });
		// Two items: 2 + 2 × 115 + 1 = 233; three: 349; four: 465.
		expect(plan.batches.map((batch) => [batch.itemIndexes.length, batch.bytes])).toEqual([
			[3, 349],
			[1, 117],
		]);
		expect(planBatches([itemOfBytes(990)], { hardLimitBytes: 1000, itemOverheadBytes: 10 }).oversized).toEqual([
			{ itemIndex: 0, bytes: 1000 },
		]);
	});

	it('caps maxBytes at the hard limit', () => {
		const items = [itemOfBytes(400), itemOfBytes(400)];
		const plan = planBatches(items, { maxBytes: 10_000, hardLimitBytes: 500 });
		expect(plan.batches.map((batch) => batch.itemIndexes)).toEqual([[0], [1]]);
	});

	it('returns no batches for no items', () => {
		expect(planBatches([])).toEqual({ batches: [], oversized: [] });
	});

	describe('groupBy', () => {
		const orders = [
			{ customer: { id: 'a' }, n: 0 },
			{ customer: { id: 'b' }, n: 1 },
			{ customer: { id: 'a' }, n: 2 },
			{ customer: { id: 'c' }, n: 3 },
			{ customer: { id: 'b' }, n: 4 },
			{ customer: { id: 'a' }, n: 5 },
		];

		it('keeps items with the same key together, groups in first-seen order, items in input order', () => {
			const plan = planBatches(orders, { groupBy: 'customer.id', maxItems: 4 });
			// a = [0, 2, 5] fits, b = [1, 4] does not fit after it and opens the next batch, c joins b.
			expect(plan.batches.map((batch) => batch.itemIndexes)).toEqual([
				[0, 2, 5],
				[1, 4, 3],
			]);
		});

		it('accepts n8n expression-style paths', () => {
			const plan = planBatches(orders, { groupBy: '$json.customer.id', maxItems: 4 });
			expect(plan.batches[0].itemIndexes).toEqual([0, 2, 5]);
		});

		it('splits a group larger than a batch, starting it in a new batch', () => {
			const items = [{ k: 'x' }, ...Array.from({ length: 5 }, () => ({ k: 'big' })), { k: 'y' }];
			const plan = planBatches(items, { groupBy: 'k', maxItems: 2 });
			expect(plan.batches.map((batch) => batch.itemIndexes)).toEqual([[0], [1, 2], [3, 4], [5, 6]]);
			const roomy = planBatches(items, { groupBy: 'k', maxItems: 3 });
			// The split group's last piece shares its batch with the next group, which fits there whole.
			expect(roomy.batches.map((batch) => batch.itemIndexes)).toEqual([[0], [1, 2, 3], [4, 5, 6]]);
		});

		it('splits a group larger than maxBytes', () => {
			const items = [itemOfBytes(100, { k: 1 }), itemOfBytes(100, { k: 1 }), itemOfBytes(100, { k: 1 })];
			const plan = planBatches(items, { groupBy: 'k', maxBytes: 250 });
			expect(plan.batches.map((batch) => batch.itemIndexes)).toEqual([[0, 1], [2]]);
		});

		it('compares keys as JSON values: 1 and "1" differ, equal objects match', () => {
			const items = [{ k: 1 }, { k: '1' }, { k: { b: 1, a: 2 } }, { k: 1 }, { k: { a: 2, b: 1 } }];
			const plan = planBatches(items, { groupBy: 'k', maxItems: 2 });
			expect(plan.batches.map((batch) => batch.itemIndexes)).toEqual([[0, 3], [1], [2, 4]]);
		});

		it('batches items without a key freely', () => {
			const items = [{ k: 'a' }, {}, { k: 'a' }, {}];
			const plan = planBatches(items, { groupBy: 'k', maxItems: 3 });
			expect(plan.batches.map((batch) => batch.itemIndexes)).toEqual([[0, 2, 1], [3]]);
		});

		it('leaves oversized items out of their group', () => {
			const items = [itemOfBytes(50, { k: 1 }), itemOfBytes(3000, { k: 1 }), itemOfBytes(50, { k: 1 })];
			const plan = planBatches(items, { groupBy: 'k', hardLimitBytes: 1000 });
			expect(plan.batches.map((batch) => batch.itemIndexes)).toEqual([[0, 2]]);
			expect(plan.oversized.map((item) => item.itemIndex)).toEqual([1]);
		});
	});

	describe('validation', () => {
		it.each([
			[{ maxItems: 0 }, 'Expected `maxItems` to be an integer from 1 and up, got 0'],
			[{ maxItems: 1.5 }, 'Expected `maxItems`'],
			[{ maxBytes: -1 }, 'Expected `maxBytes` to be an integer from 1 and up, got -1'],
			[{ hardLimitBytes: Number.NaN }, 'Expected `hardLimitBytes`'],
			[{ itemOverheadBytes: -2 }, 'Expected `itemOverheadBytes`'],
			[{ groupBy: ' ' }, 'Expected `groupBy` to be a non-empty item path, got " "'],
		])('refuses %p', (options, message) => {
			expect(() => planBatches([{}], options)).toThrow(message);
		});

		it('refuses bad group paths', () => {
			expect(() => planBatches([{}], { groupBy: 'a..b' })).toThrow('Expected an item path');
			expect(() => planBatches([{}], { groupBy: '__proto__.x' })).toThrow('__proto__');
		});

		it('names the item that is not a JSON object', () => {
			const circular: Record<string, unknown> = {};
			circular.self = circular;
			expect(() => planBatches([{}, circular])).toThrow(/^Expected item 1 to be JSON, but it cannot be serialised/);
			expect(() => planBatches([{}, {}, [] as unknown as Record<string, unknown>])).toThrow(
				'Expected item 2 to be a JSON object, got an array',
			);
		});
	});
});
