/**
 * Batch sizing from what sub-executions were measured to cost. A sub-workflow run in process shares n8n's one
 * thread: while n8n is busy (running nodes, saving the execution), batches in flight only queue behind each other,
 * so each extra sub-execution adds its fixed cost (saving it, starting it) and buys nothing. While n8n waits (on
 * the sub-workflow's HTTP calls, a database), batches in flight overlap, and spreading the items over them wins.
 */

/** One dispatch as measured: n8n's CPU time (the whole process) over its wall time. */
export interface DispatchCost {
	wallMs: number;
	cpuMs: number;
}

/** What is known about one target's cost, from the dispatches measured so far. */
export interface CostProfile {
	/** Share of the wall time n8n was busy while dispatching to it, 0..1 (a moving average). */
	busyShare: number;
	dispatches: number;
}

/** At or above this share n8n itself is the bottleneck: batches in flight would not overlap. */
export const BUSY_SHARE_THRESHOLD = 0.7;
/** Weight of the newest dispatch in the moving average: recent runs count most, one outlier does not flip it. */
const NEWEST_WEIGHT = 0.5;
/** Dispatches shorter than this say more about timer granularity than about the target. */
const MIN_MEASURED_WALL_MS = 20;

/** Cost profiles by target, bounded: the oldest target is forgotten first. */
export class BatchCostHistory {
	private readonly profiles = new Map<string, CostProfile>();

	constructor(private readonly maxTargets = 1000) {
		if (!Number.isInteger(maxTargets) || maxTargets < 1) throw new TypeError(`Expected \`maxTargets\` to be an integer from 1 and up, got ${maxTargets}`);
	}

	get(target: string): CostProfile | undefined {
		return this.profiles.get(target);
	}

	/** Folds one dispatch into the target's profile; too short a dispatch is ignored. */
	record(target: string, cost: DispatchCost): void {
		if (!(cost.wallMs >= MIN_MEASURED_WALL_MS) || !(cost.cpuMs >= 0)) return;
		const share = Math.min(1, cost.cpuMs / cost.wallMs);
		const known = this.profiles.get(target);
		this.profiles.delete(target);
		this.profiles.set(
			target,
			known ? { busyShare: known.busyShare * (1 - NEWEST_WEIGHT) + share * NEWEST_WEIGHT, dispatches: known.dispatches + 1 } : { busyShare: share, dispatches: 1 },
		);
		if (this.profiles.size > this.maxTargets) this.profiles.delete(this.profiles.keys().next().value as string);
	}
}

export interface AdaptiveSizeOptions {
	/** Batches sent at the same time. */
	maxInFlight: number;
	/** Items per batch when nothing is known yet (the first dispatch measures). */
	firstItemsPerBatch: number;
	/** Items per batch at most, whatever the profile says: batches stay bounded (bytes are bounded by the plan). */
	maxItemsPerBatch: number;
}

/**
 * Items per batch for `itemCount` items: as many as allowed when n8n was busy (fewest sub-executions), else the
 * items spread evenly over the batches in flight; `firstItemsPerBatch` while the target has no profile.
 */
export function adaptiveItemsPerBatch(itemCount: number, profile: CostProfile | undefined, options: AdaptiveSizeOptions): number {
	const { maxInFlight, firstItemsPerBatch, maxItemsPerBatch } = options;
	for (const [name, value] of Object.entries({ maxInFlight, firstItemsPerBatch, maxItemsPerBatch })) {
		if (!Number.isInteger(value) || value < 1) throw new TypeError(`Expected \`${name}\` to be an integer from 1 and up, got ${value}`);
	}
	if (!Number.isInteger(itemCount) || itemCount < 0) throw new TypeError(`Expected \`itemCount\` to be an integer from 0 and up, got ${itemCount}`);
	const wanted = profile === undefined ? firstItemsPerBatch : profile.busyShare >= BUSY_SHARE_THRESHOLD ? itemCount : Math.ceil(itemCount / maxInFlight);
	return Math.max(1, Math.min(wanted, maxItemsPerBatch));
}
