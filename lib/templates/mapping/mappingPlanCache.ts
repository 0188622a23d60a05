import { LRUCache } from 'lru-cache';
import { canonicalJson, sha256Hex } from '../../shared/canonicalJson';
import { shapeKeyOfKeys } from './itemShape';
import type { MappingPlan, MappingRule } from './mappingPlan';

/**
 * What a mapping plan depends on. The item shape is given as keys or as a `shapeKey` computed earlier
 * (see `shapeKeyOfKeys`); it only counts with `autoMap`, since without it the plan ignores item keys.
 * The template's variables are not part of the key: `templateHash` must identify the template.
 */
export type MappingPlanKey = { templateHash: string; rules: readonly MappingRule[]; autoMap: boolean } & (
	| { itemKeys: readonly string[] }
	| { shapeKey: string }
);

export interface MappingPlanCacheStats {
	entries: number;
	maxEntries: number;
	hits: number;
	misses: number;
	evictions: number;
}

export const DEFAULT_MAX_PLANS = 1000;

/**
 * SHA-256 of the canonical JSON of what a plan depends on: rules with their fields in any order give one key,
 * item keys in another order give another. Hashed so that large defaults do not make large cache keys.
 */
export function mappingPlanCacheKey(key: MappingPlanKey): string {
	const shape = !key.autoMap ? null : 'shapeKey' in key ? key.shapeKey : shapeKeyOfKeys(key.itemKeys);
	return sha256Hex(canonicalJson({ template: key.templateHash, rules: key.rules, autoMap: key.autoMap, shape }));
}

/** Built mapping plans, least recently used leave first. A build that throws is not cached. */
export class MappingPlanCache {
	private readonly plans: LRUCache<string, MappingPlan>;
	private readonly counters = { hits: 0, misses: 0, evictions: 0 };

	constructor(readonly maxEntries = DEFAULT_MAX_PLANS) {
		if (!Number.isInteger(maxEntries) || maxEntries < 1) {
			throw new TypeError(`Expected \`maxEntries\` to be an integer from 1 and up, got ${maxEntries}`);
		}
		this.plans = new LRUCache<string, MappingPlan>({
			max: maxEntries,
			dispose: (_plan, _key, reason) => {
				if (reason === 'evict') this.counters.evictions++;
			},
		});
	}

	get(key: MappingPlanKey, build: () => MappingPlan): { plan: MappingPlan; hit: boolean } {
		let cacheKey: string;
		try {
			cacheKey = mappingPlanCacheKey(key);
		} catch {
			// Rules that cannot be serialised (a default that refers to itself) cannot make a plan either:
			// let the build throw its precise error.
			this.counters.misses++;
			return { plan: build(), hit: false };
		}
		const cached = this.plans.get(cacheKey);
		if (cached !== undefined) {
			this.counters.hits++;
			return { plan: cached, hit: true };
		}
		this.counters.misses++;
		const plan = build();
		this.plans.set(cacheKey, plan);
		return { plan, hit: false };
	}

	stats(): MappingPlanCacheStats {
		return { entries: this.plans.size, maxEntries: this.maxEntries, ...this.counters };
	}

	clear(): void {
		this.plans.clear();
	}
}
