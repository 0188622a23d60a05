import { isPlainObject } from '../../shared/json';
import { DEFAULT_CORRELATION_FIELD, validateCorrelationField } from './batchPayload';
import { describeKind } from './describeKind';
import type { PlannedBatch } from './planBatches';

export type ResultObject = Record<string, unknown>;

export interface BatchResults {
	/** Results per input item index; every sent item has an entry, empty when the target returned nothing for it. */
	byItemIndex: Map<number, ResultObject[]>;
	/** Returned items whose correlation value is not an item of the batch, as returned: reported, never dropped. */
	unmatched: ResultObject[];
}

export interface MapResultsOptions {
	/** @default '_batchItem' */
	correlationField?: string;
}

/** Which part of the mapping failed: a returned value that is not an object, or neither matching rule applies. */
export type ResultMappingRule = 'object' | 'correlation-or-count';

export class ResultMappingError extends Error {
	override name = 'ResultMappingError';
	readonly errorClass = 'validation' as const;
	constructor(
		message: string,
		readonly rule: ResultMappingRule,
		readonly batchIndex: number,
		readonly sentCount: number,
		readonly returnedCount: number,
	) {
		super(message);
	}
}

/**
 * Matches what the target returned for a batch to the batch's input items:
 * 1. every returned item carries the correlation field: each goes to the item it names, so a target may return
 *    several results per item, or none, in any order;
 * 2. otherwise, as many items came back as were sent: the n-th result goes to the n-th sent item;
 * 3. otherwise the results cannot be matched: {@link ResultMappingError} with both counts.
 * Results never keep the correlation field. An empty answer to a non-empty batch fails rule 3 rather than
 * counting as "every item filtered out", because it is also what a target that ignored the batch sends.
 * Correlation values may be numbers or their decimal text (a target may have passed them through a text field).
 * @param sentItems the payload's items, in batch order (one per `batch.itemIndexes` entry).
 */
export function mapBatchResults(
	batch: Pick<PlannedBatch, 'index' | 'itemIndexes'>,
	sentItems: readonly unknown[],
	returned: readonly unknown[],
	options: MapResultsOptions = {},
): BatchResults {
	const field = validateCorrelationField(options.correlationField ?? DEFAULT_CORRELATION_FIELD);
	if (!Array.isArray(sentItems) || sentItems.length !== batch.itemIndexes.length) {
		const got = Array.isArray(sentItems) ? sentItems.length : describeKind(sentItems);
		throw new TypeError(`Expected \`sentItems\` to hold one item per batch item index (${batch.itemIndexes.length}), got ${got}`);
	}
	if (!Array.isArray(returned)) {
		throw new ResultMappingError(
			`Batch ${batch.index}: expected the target to return a list of items, got ${describeKind(returned)}`,
			'object',
			batch.index,
			sentItems.length,
			0,
		);
	}
	const results = returned.map((result, position) => {
		if (isPlainObject(result)) return result;
		throw new ResultMappingError(
			`Batch ${batch.index}: returned item ${position} is not a JSON object (got ${describeKind(result)})`,
			'object',
			batch.index,
			sentItems.length,
			returned.length,
		);
	});

	const byItemIndex = new Map<number, ResultObject[]>();
	for (const itemIndex of batch.itemIndexes) byItemIndex.set(itemIndex, []);
	const unmatched: ResultObject[] = [];

	const carrying = results.filter((result) => Object.prototype.hasOwnProperty.call(result, field)).length;
	if (results.length > 0 && carrying === results.length) {
		for (const result of results) {
			const itemIndex = correlationIndex(result[field]);
			const target = itemIndex === undefined ? undefined : byItemIndex.get(itemIndex);
			if (target === undefined) unmatched.push(result);
			else target.push(withoutField(result, field));
		}
		return { byItemIndex, unmatched };
	}

	if (results.length === batch.itemIndexes.length) {
		results.forEach((result, position) => byItemIndex.get(batch.itemIndexes[position])?.push(withoutField(result, field)));
		return { byItemIndex, unmatched };
	}

	const lacking = carrying === 0 ? 'without' : `with only ${carrying} carrying`;
	throw new ResultMappingError(
		`Batch ${batch.index}: the target returned ${results.length} ${results.length === 1 ? 'item' : 'items'} for ` +
			`${sentItems.length} sent, ${lacking} the correlation field '${field}': results can be matched by that field ` +
			`(on every returned item) or by position (as many returned as sent), and neither applies`,
		'correlation-or-count',
		batch.index,
		sentItems.length,
		results.length,
	);
}

/** The input item index a correlation value names, or `undefined` if it names none. */
function correlationIndex(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
	if (typeof value === 'string' && /^(0|[1-9][0-9]*)$/.test(value)) return Number(value);
	return undefined;
}

function withoutField(result: ResultObject, field: string): ResultObject {
	if (!Object.prototype.hasOwnProperty.call(result, field)) return result;
	const copy = { ...result };
	delete copy[field];
	return copy;
}
