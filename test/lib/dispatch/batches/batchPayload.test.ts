import {
	BATCH_ENVELOPE_BYTES,
	BATCH_ID_LENGTH,
	batchIdFor,
	buildBatchPayload,
	correlationFieldBytes,
	CorrelationFieldCollisionError,
	planBatches,
} from '../../../../lib/dispatch/batches';

describe('buildBatchPayload', () => {
	const items = [{ name: 'a' }, { name: 'b' }, { name: 'c', nested: { x: 1 } }];

	it('sends shallow copies carrying their input item index', () => {
		const payload = buildBatchPayload({ itemIndexes: [2, 0] }, items, { batchId: 'id-1' });
		expect(payload).toEqual({
			batchId: 'id-1',
			items: [
				{ name: 'c', nested: { x: 1 }, _batchItem: 2 },
				{ name: 'a', _batchItem: 0 },
			],
		});
		expect(items[0]).toEqual({ name: 'a' });
		expect(payload.items[0].nested).toBe(items[2].nested);
	});

	it('uses the correlation field it is given', () => {
		const payload = buildBatchPayload({ itemIndexes: [1] }, items, { batchId: 'id', correlationField: 'row' });
		expect(payload.items).toEqual([{ name: 'b', row: 1 }]);
	});

	it('refuses an item that already has the correlation field, naming the field and the item', () => {
		const clashing = [{ a: 1 }, { a: 2, _batchItem: 'mine' }];
		let error: unknown;
		try {
			buildBatchPayload({ itemIndexes: [0, 1] }, clashing, { batchId: 'id' });
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(CorrelationFieldCollisionError);
		expect((error as CorrelationFieldCollisionError).message).toMatch(/^Expected item 1 to have no field '_batchItem'/);
		expect(error).toMatchObject({ itemIndex: 1, field: '_batchItem' });
	});

	it('validates its options and item indexes', () => {
		expect(() => buildBatchPayload({ itemIndexes: [0] }, items, { batchId: '' })).toThrow('Expected `batchId`');
		expect(() => buildBatchPayload({ itemIndexes: [0] }, items, { batchId: 'id', correlationField: '' })).toThrow(
			'Expected `correlationField` to be a non-empty string',
		);
		expect(() => buildBatchPayload({ itemIndexes: [0] }, items, { batchId: 'id', correlationField: '__proto__' })).toThrow(
			'__proto__',
		);
		expect(() => buildBatchPayload({ itemIndexes: [3] }, items, { batchId: 'id' })).toThrow(
			'Expected item indexes from 0 to 2, got 3',
		);
	});

	it('stays within the planned bytes when the planner counts the correlation overhead', () => {
		const many = Array.from({ length: 1200 }, (_, index) => ({ value: 'v'.repeat(index % 17) }));
		const overhead = correlationFieldBytes('_batchItem', many.length);
		expect(overhead).toBe(Buffer.byteLength(',"_batchItem":1199'));
		const plan = planBatches(many, { maxItems: 500, itemOverheadBytes: overhead });
		for (const batch of plan.batches) {
			const payload = buildBatchPayload(batch, many, { batchId: batchIdFor('wf', batch.itemIndexes, 'e1') });
			const sent = Buffer.byteLength(JSON.stringify(payload));
			expect(sent).toBeLessThanOrEqual(batch.bytes + BATCH_ENVELOPE_BYTES);
			expect(Buffer.byteLength(JSON.stringify(payload.items))).toBeLessThanOrEqual(batch.bytes);
		}
	});

	it('knows the envelope size', () => {
		const payload = { batchId: 'f'.repeat(BATCH_ID_LENGTH), items: [{ a: 1 }] };
		expect(Buffer.byteLength(JSON.stringify(payload))).toBe(BATCH_ENVELOPE_BYTES + JSON.stringify(payload.items).length);
	});
});

describe('batchIdFor', () => {
	it('is short, hex and stable for the same target, items and execution', () => {
		const id = batchIdFor('workflow:42', [0, 1, 2], 'exec-7');
		expect(id).toMatch(new RegExp(`^[0-9a-f]{${BATCH_ID_LENGTH}}$`));
		expect(batchIdFor('workflow:42', [0, 1, 2], 'exec-7')).toBe(id);
	});

	it('differs when the target, the items or the execution differ', () => {
		const id = batchIdFor('workflow:42', [0, 1, 2], 'exec-7');
		expect(batchIdFor('workflow:43', [0, 1, 2], 'exec-7')).not.toBe(id);
		expect(batchIdFor('workflow:42', [0, 1, 3], 'exec-7')).not.toBe(id);
		expect(batchIdFor('workflow:42', [1, 0, 2], 'exec-7')).not.toBe(id);
		expect(batchIdFor('workflow:42', [0, 1, 2], 'exec-8')).not.toBe(id);
	});

	it('refuses an empty execution id, which would make runs look like retries of each other', () => {
		expect(() => batchIdFor('wf', [0], '')).toThrow('Expected `executionId` to be a non-empty string');
		expect(() => batchIdFor('', [0], 'e')).toThrow('Expected `target`');
		expect(() => batchIdFor('wf', [], 'e')).toThrow('Expected `itemIndexes`');
		expect(() => batchIdFor('wf', [0.5], 'e')).toThrow('Expected `itemIndexes`');
	});
});
