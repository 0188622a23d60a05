/**
 * Batch sizing from what dispatches were measured to take. A sub-workflow run in process shares n8n's one thread:
 * while n8n is busy (running nodes, saving the execution), batches in flight only queue behind each other, so each
 * extra sub-execution adds its fixed cost (starting it, saving it) and buys nothing; while n8n waits (on the
 * sub-workflow's HTTP calls, a database), batches in flight overlap, and spreading the items over them wins. Which
 * of the two a sub-workflow is cannot be read from CPU time alone (n8n's database and GC threads add CPU time while
 * its main thread waits, and many small batches make any target look busy), so both shapes are tried and timed:
 * - `one`: the whole input as one sub-execution (as few as the size limits allow);
 * - `wave`: the input spread evenly over the batches in flight, one wave of them.
 * The faster per item is used from then on, and the other is timed again now and then, so a changed sub-workflow
 * is noticed.
 */

export type BatchShape = 'one' | 'wave';

/** One dispatch as measured. */
export interface DispatchCost {
	wallMs: number;
	items: number;
}

/** What is known about one target: the moving average of wall time per item of each shape tried. */
export interface CostProfile {
	msPerItem: Partial<Record<BatchShape, number>>;
	dispatches: number;
}

/** Weight of the newest dispatch in the moving average: recent runs count most, one outlier does not flip it. */
const NEWEST_WEIGHT = 0.5;
/** Dispatches shorter than this say more about timer granularity than about the target. */
const MIN_MEASURED_WALL_MS = 20;
/** Every this many dispatches the shape not in use is timed again. */
export const RETRY_OTHER_SHAPE_EVERY = 16;

/** Cost profiles by target, bounded: the oldest target is forgotten first. */
export class BatchCostHistory {
	private readonly profiles = new Map<string, CostProfile>();

	constructor(private readonly maxTargets = 1000) {
		if (!Number.isInteger(maxTargets) || maxTargets < 1) throw new TypeError(`Expected \`maxTargets\` to be an integer from 1 and up, got ${maxTargets}`);
	}

	get(target: string): CostProfile | undefined {
		return this.profiles.get(target);
	}

	/** Folds one dispatch of `shape` into the target's profile; too short a dispatch is ignored. */
	record(target: string, shape: BatchShape, cost: DispatchCost): void {
		if (!(cost.wallMs >= MIN_MEASURED_WALL_MS) || !(cost.items >= 1)) return;
		const perItem = cost.wallMs / cost.items;
		const known = this.profiles.get(target) ?? { msPerItem: {}, dispatches: 0 };
		const previous = known.msPerItem[shape];
		this.profiles.delete(target);
		this.profiles.set(target, {
			msPerItem: { ...known.msPerItem, [shape]: previous === undefined ? perItem : previous * (1 - NEWEST_WEIGHT) + perItem * NEWEST_WEIGHT },
			dispatches: known.dispatches + 1,
		});
		if (this.profiles.size > this.maxTargets) this.profiles.delete(this.profiles.keys().next().value as string);
	}
}

export interface AdaptiveSizeOptions {
	/** Batches sent at the same time. */
	maxInFlight: number;
	/** Items per batch at most, whatever the profile says: batches stay bounded (bytes are bounded by the plan). */
	maxItemsPerBatch: number;
}

/**
 * The shape of the next dispatch and its items per batch: an untried shape first (`wave`, then `one`), then the
 * faster per item, with the other one timed every {@link RETRY_OTHER_SHAPE_EVERY} dispatches.
 */
export function adaptiveBatchSize(itemCount: number, profile: CostProfile | undefined, options: AdaptiveSizeOptions): { shape: BatchShape; itemsPerBatch: number } {
	const { maxInFlight, maxItemsPerBatch } = options;
	for (const [name, value] of Object.entries({ maxInFlight, maxItemsPerBatch })) {
		if (!Number.isInteger(value) || value < 1) throw new TypeError(`Expected \`${name}\` to be an integer from 1 and up, got ${value}`);
	}
	if (!Number.isInteger(itemCount) || itemCount < 0) throw new TypeError(`Expected \`itemCount\` to be an integer from 0 and up, got ${itemCount}`);
	const shape = nextShape(profile);
	const wanted = shape === 'one' ? itemCount : Math.ceil(itemCount / maxInFlight);
	return { shape, itemsPerBatch: Math.max(1, Math.min(wanted, maxItemsPerBatch)) };
}

function nextShape(profile: CostProfile | undefined): BatchShape {
	const wave = profile?.msPerItem.wave;
	const one = profile?.msPerItem.one;
	if (wave === undefined) return 'wave';
	if (one === undefined) return 'one';
	const best: BatchShape = one <= wave ? 'one' : 'wave';
	const other: BatchShape = best === 'one' ? 'wave' : 'one';
	return profile!.dispatches % RETRY_OTHER_SHAPE_EVERY === 0 ? other : best;
}
