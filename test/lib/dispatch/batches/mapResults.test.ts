import { mapBatchResults, ResultMappingError } from '../../../../lib/dispatch/batches';

const batch = { index: 3, itemIndexes: [4, 5, 6] };
const sent = [
	{ q: 'a', _batchItem: 4 },
	{ q: 'b', _batchItem: 5 },
	{ q: 'c', _batchItem: 6 },
];

function thrown(run: () => unknown): ResultMappingError {
	try {
		run();
	} catch (error) {
		if (error instanceof ResultMappingError) return error;
		throw error;
	}
	throw new Error('expected a ResultMappingError');
}

describe('mapBatchResults', () => {
	it('maps by the correlation field in any order, stripping the field', () => {
		const returned = [
			{ answer: 'C', _batchItem: 6 },
			{ answer: 'A', _batchItem: 4 },
			{ answer: 'B', _batchItem: 5 },
		];
		const { byItemIndex, unmatched } = mapBatchResults(batch, sent, returned);
		expect([...byItemIndex]).toEqual([
			[4, [{ answer: 'A' }]],
			[5, [{ answer: 'B' }]],
			[6, [{ answer: 'C' }]],
		]);
		expect(unmatched).toEqual([]);
		expect(returned[0]).toEqual({ answer: 'C', _batchItem: 6 });
	});

	it('allows several results, or none, per item', () => {
		const returned = [
			{ line: 1, _batchItem: 4 },
			{ line: 2, _batchItem: 4 },
			{ line: 3, _batchItem: 6 },
		];
		const { byItemIndex } = mapBatchResults(batch, sent, returned);
		expect(byItemIndex.get(4)).toEqual([{ line: 1 }, { line: 2 }]);
		expect(byItemIndex.get(5)).toEqual([]);
		expect(byItemIndex.get(6)).toEqual([{ line: 3 }]);
	});

	it('reports correlation values that name no item of the batch', () => {
		const returned = [
			{ ok: true, _batchItem: 5 },
			{ stray: true, _batchItem: 99 },
			{ odd: true, _batchItem: 'x' },
			{ text: true, _batchItem: '6' },
		];
		const { byItemIndex, unmatched } = mapBatchResults(batch, sent, returned);
		expect(unmatched).toEqual([
			{ stray: true, _batchItem: 99 },
			{ odd: true, _batchItem: 'x' },
		]);
		expect(byItemIndex.get(5)).toEqual([{ ok: true }]);
		expect(byItemIndex.get(6)).toEqual([{ text: true }]);
	});

	it('maps by position when the field is missing and the counts match', () => {
		const returned = [{ r: 'A' }, { r: 'B', _batchItem: 5 }, { r: 'C' }];
		const { byItemIndex, unmatched } = mapBatchResults(batch, sent, returned);
		expect([...byItemIndex]).toEqual([
			[4, [{ r: 'A' }]],
			[5, [{ r: 'B' }]],
			[6, [{ r: 'C' }]],
		]);
		expect(unmatched).toEqual([]);
	});

	it('uses the correlation field it is given', () => {
		const returned = [{ r: 1, row: 6 }];
		expect(mapBatchResults(batch, sent, returned, { correlationField: 'row' }).byItemIndex.get(6)).toEqual([{ r: 1 }]);
	});

	it('fails with both counts when neither rule applies', () => {
		const tenSent = Array.from({ length: 10 }, (_, index) => ({ _batchItem: index }));
		const tenBatch = { index: 0, itemIndexes: tenSent.map((_, index) => index) };
		const error = thrown(() => mapBatchResults(tenBatch, tenSent, Array.from({ length: 7 }, () => ({ r: 1 }))));
		expect(error.message).toContain("the target returned 7 items for 10 sent, without the correlation field '_batchItem'");
		expect(error).toMatchObject({ rule: 'correlation-or-count', batchIndex: 0, sentCount: 10, returnedCount: 7 });

		const partly = thrown(() => mapBatchResults(batch, sent, [{ _batchItem: 4 }, { r: 1 }]));
		expect(partly.message).toContain("returned 2 items for 3 sent, with only 1 carrying the correlation field '_batchItem'");
	});

	it('fails on an empty answer to a non-empty batch, but not to an empty one', () => {
		expect(thrown(() => mapBatchResults(batch, sent, [])).message).toContain('returned 0 items for 3 sent');
		expect(mapBatchResults({ index: 0, itemIndexes: [] }, [], [])).toEqual({ byItemIndex: new Map(), unmatched: [] });
	});

	it('fails on returned values that are not objects', () => {
		const error = thrown(() => mapBatchResults(batch, sent, [{}, 'text', {}]));
		expect(error.message).toBe('Batch 3: returned item 1 is not a JSON object (got string)');
		expect(error.rule).toBe('object');
		expect(thrown(() => mapBatchResults(batch, sent, null as unknown as unknown[])).message).toContain(
			'expected the target to return a list of items, got null',
		);
	});

	it('refuses sent items that do not match the batch', () => {
		expect(() => mapBatchResults(batch, sent.slice(1), [])).toThrow(
			'Expected `sentItems` to hold one item per batch item index (3), got 2',
		);
	});
});
