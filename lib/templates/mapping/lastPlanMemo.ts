import { hasKeys, itemKeysOf, shapeKeyOfKeys } from './itemShape';
import { buildMappingPlan, type MappingPlan, type MappingRule } from './mappingPlan';
import { MappingPlanCache } from './mappingPlanCache';

export interface PlanRequest {
	/** Identifies the template, and so its variables. */
	templateHash: string;
	variables: readonly string[];
	/** Compared by reference on the fast path: pass the same array for every item, and never change it. */
	rules: readonly MappingRule[];
	autoMap: boolean;
}

/** `memo`: the previous item's plan; `hit`: from the cache; `miss`: built. */
export type PlanOutcome = 'memo' | 'hit' | 'miss';

export interface PlannedItem {
	readonly plan: MappingPlan;
	readonly outcome: PlanOutcome;
}

interface LastPlan {
	templateHash: string;
	rules: readonly MappingRule[];
	autoMap: boolean;
	itemKeys: readonly string[];
	memo: PlannedItem;
}

/**
 * The per-item fast path in front of a {@link MappingPlanCache}: items of a run nearly always share one template,
 * one rule set and one shape, so the previous item's plan is reused after a check of the item's keys
 * (no key string, no hash, no allocation; skipped entirely without `autoMap`). Anything else goes to the cache.
 */
export class LastPlanMemo {
	private last: LastPlan | undefined;

	constructor(private readonly cache: MappingPlanCache = new MappingPlanCache()) {}

	planFor(request: PlanRequest, item: unknown): PlannedItem {
		const last = this.last;
		if (
			last !== undefined &&
			last.templateHash === request.templateHash &&
			last.rules === request.rules &&
			last.autoMap === request.autoMap &&
			(!request.autoMap || hasKeys(item, last.itemKeys))
		) {
			return last.memo;
		}
		const itemKeys = request.autoMap ? itemKeysOf(item) : [];
		const { plan, hit } = this.cache.get(
			{ templateHash: request.templateHash, rules: request.rules, autoMap: request.autoMap, shapeKey: shapeKeyOfKeys(itemKeys) },
			() => buildMappingPlan(request.variables, request.rules, itemKeys, { autoMap: request.autoMap }),
		);
		this.last = {
			templateHash: request.templateHash,
			rules: request.rules,
			autoMap: request.autoMap,
			itemKeys,
			memo: Object.freeze({ plan, outcome: 'memo' as const }),
		};
		return { plan, outcome: hit ? 'hit' : 'miss' };
	}

	/** Forgets the previous plan (the cache keeps it). */
	reset(): void {
		this.last = undefined;
	}
}
