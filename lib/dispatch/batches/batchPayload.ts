import { canonicalJson, sha256Hex } from '../../shared/canonicalJson';
import { isUnsafeName } from '../../templates/mapping/itemPath';
import type { PlannedBatch } from './planBatches';

/** The field each sent item carries with its input item index, unless told otherwise. */
export const DEFAULT_CORRELATION_FIELD = '_batchItem';
/** Hex digits of a batch id: 96 bits, so ids of different batches do not collide at any realistic volume. */
export const BATCH_ID_LENGTH = 24;
/**
 * Bytes the payload adds around the items array: `{"batchId":"<id>","items":` and `}`. Subtract it from
 * the receiver's limit to get the `hardLimitBytes` of `planBatches`.
 */
export const BATCH_ENVELOPE_BYTES =
	Buffer.byteLength(JSON.stringify({ batchId: '0'.repeat(BATCH_ID_LENGTH), items: [] }), 'utf8') - 2;

export interface BatchPayload {
	batchId: string;
	/** Shallow copies of the batch's items, in batch order, each with the correlation field set. */
	items: Array<Record<string, unknown>>;
}

export interface BatchPayloadOptions {
	/** @default '_batchItem' */
	correlationField?: string;
	/** From {@link batchIdFor}; receivers drop batches whose `X-Batch-Id` they have seen. */
	batchId: string;
}

export class CorrelationFieldCollisionError extends Error {
	override name = 'CorrelationFieldCollisionError';
	readonly errorClass = 'validation' as const;
	constructor(
		readonly itemIndex: number,
		readonly field: string,
	) {
		super(
			`Expected item ${itemIndex} to have no field '${field}', since the batch uses that name to match results ` +
				`to items: rename the item's field or choose another correlation field`,
		);
	}
}

/** Checks a correlation field name; shared by the payload builder and the result mapping. */
export function validateCorrelationField(field: string): string {
	if (typeof field !== 'string' || field === '') {
		throw new TypeError(`Expected \`correlationField\` to be a non-empty string, got ${JSON.stringify(field)}`);
	}
	// Receivers may copy items onto plain objects; such a name would reach their prototype.
	if (isUnsafeName(field)) {
		throw new TypeError(
			`Expected \`correlationField\` to be a name other than __proto__, constructor and prototype, got '${field}'`,
		);
	}
	return field;
}

/**
 * The body sent for one batch: `{ batchId, items }`, each item a shallow copy of the input item with the
 * correlation field set to its input item index, so results can be matched back whatever order the target
 * answers in. An item that already has the field is refused rather than overwritten: its value would be lost
 * and results could be matched to the wrong item.
 * @throws {CorrelationFieldCollisionError} naming the first item that has the field.
 */
export function buildBatchPayload(
	batch: Pick<PlannedBatch, 'itemIndexes'>,
	items: ReadonlyArray<Record<string, unknown>>,
	options: BatchPayloadOptions,
): BatchPayload {
	const field = validateCorrelationField(options.correlationField ?? DEFAULT_CORRELATION_FIELD);
	if (typeof options.batchId !== 'string' || options.batchId === '') {
		throw new TypeError(`Expected \`batchId\` to be a non-empty string, got ${JSON.stringify(options.batchId)}`);
	}
	const payloadItems = batch.itemIndexes.map((itemIndex) => {
		if (!Number.isInteger(itemIndex) || itemIndex < 0 || itemIndex >= items.length) {
			throw new RangeError(`Expected item indexes from 0 to ${items.length - 1}, got ${itemIndex}`);
		}
		const item = items[itemIndex];
		if (Object.prototype.hasOwnProperty.call(item, field)) throw new CorrelationFieldCollisionError(itemIndex, field);
		return { ...item, [field]: itemIndex };
	});
	return { batchId: options.batchId, items: payloadItems };
}

/**
 * Bytes the correlation field adds to one item at most (`,"_batchItem":1234`), for `itemOverheadBytes` of
 * `planBatches`. An empty item gains one byte less (no comma), which only makes the estimate safe.
 */
export function correlationFieldBytes(correlationField: string, itemCount: number): number {
	const field = validateCorrelationField(correlationField);
	if (!Number.isInteger(itemCount) || itemCount < 0) {
		throw new TypeError(`Expected \`itemCount\` to be an integer from 0 and up, got ${itemCount}`);
	}
	const largestIndex = Math.max(0, itemCount - 1);
	return Buffer.byteLength(`,${JSON.stringify(field)}:${largestIndex}`, 'utf8');
}

/**
 * A short id for a batch that stays the same when the same execution sends the same items to the same target
 * again (a retry), so the receiver can drop the duplicate by `X-Batch-Id`. The execution id keeps two runs of a
 * workflow apart: without it, a receiver would drop the second run's batches as duplicates of the first.
 * @param target the logical target: the sub-workflow id, or the webhook URLs as one string. Not the URL one
 * attempt went to, so a failover to another URL resends the same id.
 */
export function batchIdFor(target: string, itemIndexes: readonly number[], executionId: string): string {
	if (typeof target !== 'string' || target === '') {
		throw new TypeError(`Expected \`target\` to be a non-empty string, got ${JSON.stringify(target)}`);
	}
	if (typeof executionId !== 'string' || executionId === '') {
		throw new TypeError(`Expected \`executionId\` to be a non-empty string, got ${JSON.stringify(executionId)}`);
	}
	const indexesValid = Array.isArray(itemIndexes) && itemIndexes.every((index) => Number.isInteger(index) && index >= 0);
	if (!indexesValid || itemIndexes.length === 0) {
		throw new TypeError(`Expected \`itemIndexes\` to be a non-empty list of item indexes, got ${JSON.stringify(itemIndexes)}`);
	}
	return sha256Hex(canonicalJson({ v: 1, target, executionId, itemIndexes })).slice(0, BATCH_ID_LENGTH);
}
