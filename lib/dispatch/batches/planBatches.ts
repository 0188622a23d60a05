import { canonicalJson } from '../../shared/canonicalJson';
import { isPlainObject } from '../../shared/json';
import { parseItemPath, readPath } from '../../templates/mapping/itemPath';
import { describeKind } from './describeKind';

/** Items per batch unless told otherwise. */
export const DEFAULT_MAX_ITEMS = 100;
/** Uncompressed JSON bytes per batch unless told otherwise. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;
/** n8n refuses webhook bodies above this (`N8N_PAYLOAD_SIZE_MAX`, 16 MiB by default). */
export const WEBHOOK_HARD_LIMIT_BYTES = 16 * 1024 * 1024;

export interface BatchPlanOptions {
	/** Items per batch at most. @default 100 */
	maxItems?: number;
	/**
	 * Uncompressed JSON bytes per batch at most: a target, not a wall. A single item above it travels alone.
	 * Capped at `hardLimitBytes`. @default 1 MiB
	 */
	maxBytes?: number;
	/**
	 * Path into each item (`customer.id`, `$json.customer.id`, `lines[0].sku`) whose value keeps items together:
	 * items with equal values (compared as canonical JSON, so `1` and `"1"` differ) form a group, and groups are
	 * batched in the order their keys were first seen, each group's items in input order. Items where the path
	 * finds nothing belong to no group and are batched like items without `groupBy`.
	 */
	groupBy?: string;
	/**
	 * An item that exceeds this even alone in a batch (`[item]`, overhead included) is never sent: it is
	 * reported in `oversized`. Subtract what the payload adds around the items (`BATCH_ENVELOPE_BYTES`).
	 * @default 16 MiB
	 */
	hardLimitBytes?: number;
	/**
	 * Bytes each item gains in the payload beyond its own JSON, counted in every size check: pass
	 * `correlationFieldBytes(...)` so that the correlation field cannot push a batch over a limit. @default 0
	 */
	itemOverheadBytes?: number;
}

export interface PlannedBatch {
	/** Position of the batch in the plan, from 0. */
	index: number;
	/** Input item indexes in the order they are sent. */
	itemIndexes: number[];
	/**
	 * UTF-8 bytes of the batch's items as a JSON array, overhead included: `[` + items joined by `,` + `]`.
	 * With `itemOverheadBytes` 0 this is exactly `Buffer.byteLength(JSON.stringify(batchItems))`.
	 */
	bytes: number;
}

export interface OversizedItem {
	itemIndex: number;
	/** The item's JSON bytes plus `itemOverheadBytes`. */
	bytes: number;
}

export interface BatchPlan {
	batches: PlannedBatch[];
	oversized: OversizedItem[];
}

type Limits = { maxItems: number; maxBytes: number; hardLimitBytes: number; itemOverheadBytes: number };

/**
 * Splits items into batches that respect `maxItems` and `maxBytes`, in input order (or group order with
 * `groupBy`). A batch closes when the next item would take it over either limit. A single item above
 * `maxBytes` travels alone; an item above `hardLimitBytes` is left out and reported in `oversized`.
 *
 * With `groupBy`, a group joins the open batch only if it fits there whole; otherwise it starts a new batch.
 * A group that does not fit in an empty batch either is split: it starts a new batch and fills batches in
 * order, so it spans as few batches as it can; groups that follow may share its last batch.
 * Each item's size is measured once.
 */
export function planBatches(items: ReadonlyArray<Record<string, unknown>>, options: BatchPlanOptions = {}): BatchPlan {
	if (!Array.isArray(items)) throw new TypeError(`Expected \`items\` to be an array, got ${typeof items}`);
	const limits = validateOptions(options);
	const groupPath = options.groupBy === undefined ? undefined : parseItemPath(options.groupBy);

	const sizes = items.map((item, itemIndex) => itemBytes(item, itemIndex) + limits.itemOverheadBytes);
	const oversized: OversizedItem[] = [];
	const sendable: number[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		// Alone in its batch it still takes the array's brackets.
		if (sizes[itemIndex] + 2 > limits.hardLimitBytes) oversized.push({ itemIndex, bytes: sizes[itemIndex] });
		else sendable.push(itemIndex);
	}

	const planner = new BatchPlanner(limits, sizes);
	if (groupPath === undefined) {
		for (const itemIndex of sendable) planner.addItem(itemIndex);
	} else {
		for (const group of groupItems(items, sendable, groupPath)) planner.addGroup(group);
	}
	return { batches: planner.finish(), oversized };
}

function validateOptions(options: BatchPlanOptions): Limits {
	const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
	const hardLimitBytes = options.hardLimitBytes ?? WEBHOOK_HARD_LIMIT_BYTES;
	const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
	const itemOverheadBytes = options.itemOverheadBytes ?? 0;
	if (!Number.isInteger(maxItems) || maxItems < 1) {
		throw new TypeError(`Expected \`maxItems\` to be an integer from 1 and up, got ${maxItems}`);
	}
	if (!Number.isInteger(maxBytes) || maxBytes < 1) {
		throw new TypeError(`Expected \`maxBytes\` to be an integer from 1 and up, got ${maxBytes}`);
	}
	if (!Number.isInteger(hardLimitBytes) || hardLimitBytes < 1) {
		throw new TypeError(`Expected \`hardLimitBytes\` to be an integer from 1 and up, got ${hardLimitBytes}`);
	}
	if (!Number.isInteger(itemOverheadBytes) || itemOverheadBytes < 0) {
		throw new TypeError(`Expected \`itemOverheadBytes\` to be an integer from 0 and up, got ${itemOverheadBytes}`);
	}
	if (options.groupBy !== undefined && (typeof options.groupBy !== 'string' || options.groupBy.trim() === '')) {
		throw new TypeError(`Expected \`groupBy\` to be a non-empty item path, got ${JSON.stringify(options.groupBy)}`);
	}
	// A soft target above the wall would only let batches through that the receiver refuses.
	return { maxItems, maxBytes: Math.min(maxBytes, hardLimitBytes), hardLimitBytes, itemOverheadBytes };
}

function itemBytes(item: Record<string, unknown>, itemIndex: number): number {
	if (!isPlainObject(item)) {
		throw new TypeError(`Expected item ${itemIndex} to be a JSON object, got ${describeKind(item)}`);
	}
	let json: string;
	try {
		json = JSON.stringify(item);
	} catch (error) {
		throw new TypeError(`Expected item ${itemIndex} to be JSON, but it cannot be serialised: ${(error as Error).message}`);
	}
	return Buffer.byteLength(json, 'utf8');
}

/** Groups in first-seen order of their keys; an item without a key is a group of its own. */
function groupItems(items: ReadonlyArray<Record<string, unknown>>, sendable: number[], path: string[]): number[][] {
	const groups: number[][] = [];
	const byKey = new Map<string, number[]>();
	for (const itemIndex of sendable) {
		const value = readPath(items[itemIndex], path);
		if (value === undefined) {
			groups.push([itemIndex]);
			continue;
		}
		const key = canonicalJson(value);
		const group = byKey.get(key);
		if (group !== undefined) {
			group.push(itemIndex);
			continue;
		}
		const created = [itemIndex];
		byKey.set(key, created);
		groups.push(created);
	}
	return groups;
}

/** Fills batches one after the other; only the last one is open. */
class BatchPlanner {
	private readonly batches: PlannedBatch[] = [];
	private open: PlannedBatch | undefined;

	constructor(
		private readonly limits: Limits,
		private readonly sizes: readonly number[],
	) {}

	addItem(itemIndex: number): void {
		if (this.open !== undefined && !this.fits(this.open, 1, this.sizes[itemIndex])) this.close();
		this.append(itemIndex);
	}

	addGroup(group: number[]): void {
		let groupBytes = 0;
		for (const itemIndex of group) groupBytes += this.sizes[itemIndex];
		if (this.open !== undefined && this.fits(this.open, group.length, groupBytes)) {
			for (const itemIndex of group) this.append(itemIndex);
			return;
		}
		// Either it fits in a fresh batch, or it must be split: both start a new batch.
		this.close();
		for (const itemIndex of group) this.addItem(itemIndex);
	}

	finish(): PlannedBatch[] {
		this.close();
		return this.batches;
	}

	/** Whether `count` items of `bytes` in all can join `batch`; each adds its bytes and a comma. */
	private fits(batch: PlannedBatch, count: number, bytes: number): boolean {
		return batch.itemIndexes.length + count <= this.limits.maxItems && batch.bytes + bytes + count <= this.limits.maxBytes;
	}

	private append(itemIndex: number): void {
		if (this.open === undefined) {
			// An empty batch is `[]`: two bytes before any item, one comma less than items after.
			this.open = { index: this.batches.length, itemIndexes: [], bytes: 1 };
		}
		this.open.itemIndexes.push(itemIndex);
		this.open.bytes += this.sizes[itemIndex] + 1;
	}

	private close(): void {
		if (this.open === undefined) return;
		this.batches.push(this.open);
		this.open = undefined;
	}
}
