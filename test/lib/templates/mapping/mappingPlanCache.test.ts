import { hasKeys, itemKeysOf, shapeKey, shapeKeyOfKeys } from '../../../../lib/templates/mapping/itemShape';
import { LastPlanMemo, type PlanRequest } from '../../../../lib/templates/mapping/lastPlanMemo';
import { applyMappingPlan, buildMappingPlan, type MappingRule } from '../../../../lib/templates/mapping/mappingPlan';
import { MappingPlanCache, mappingPlanCacheKey } from '../../../../lib/templates/mapping/mappingPlanCache';

const rules: MappingRule[] = [{ variable: 'total', path: 'amount', transform: 'number', format: '2' }];
const variables = ['first_name', 'total'];

function builder(itemKeys: string[], autoMap = true) {
	return jest.fn(() => buildMappingPlan(variables, rules, itemKeys, { autoMap }));
}

describe('item shape', () => {
	it('lists own top-level keys of object items only', () => {
		expect(itemKeysOf({ b: 1, a: 2 })).toEqual(['b', 'a']);
		expect(itemKeysOf(Object.create({ inherited: 1 }))).toEqual([]);
		expect(itemKeysOf([1, 2])).toEqual([]);
		expect(itemKeysOf(null)).toEqual([]);
	});

	it('gives a shape key that keeps order and cannot run keys together', () => {
		expect(shapeKey({ a: 1, b: 2 })).toBe(shapeKeyOfKeys(['a', 'b']));
		expect(shapeKey({ a: 1, b: 2 })).not.toBe(shapeKey({ b: 2, a: 1 }));
		expect(shapeKeyOfKeys(['a\u0000b'])).not.toBe(shapeKeyOfKeys(['a', 'b']));
		expect(shapeKeyOfKeys(['a,b'])).not.toBe(shapeKeyOfKeys(['a', 'b']));
	});

	it('checks keys in order, own keys only', () => {
		expect(hasKeys({ a: 1, b: 2 }, ['a', 'b'])).toBe(true);
		expect(hasKeys({ a: 1, b: 2 }, ['b', 'a'])).toBe(false);
		expect(hasKeys({ a: 1 }, ['a', 'b'])).toBe(false);
		expect(hasKeys({ a: 1, b: 2, c: 3 }, ['a', 'b'])).toBe(false);
		const inherited = Object.create({ extra: 1 }) as Record<string, unknown>;
		inherited.a = 1;
		expect(hasKeys(inherited, ['a'])).toBe(true);
		expect(hasKeys(null, [])).toBe(true);
		expect(hasKeys([1], ['0'])).toBe(false);
	});
});

describe('mappingPlanCacheKey', () => {
	const base = { templateHash: 't1', rules, autoMap: true, itemKeys: ['first_name', 'amount'] };

	it('is the same for rules written with fields in another order, and for keys given as a shape key', () => {
		const reordered = [{ format: '2', transform: 'number', path: 'amount', variable: 'total' }] as MappingRule[];
		expect(mappingPlanCacheKey({ ...base, rules: reordered })).toBe(mappingPlanCacheKey(base));
		expect(mappingPlanCacheKey({ templateHash: 't1', rules, autoMap: true, shapeKey: shapeKeyOfKeys(base.itemKeys) })).toBe(
			mappingPlanCacheKey(base),
		);
	});

	it('changes with the template, rules, item keys (and their order) and autoMap', () => {
		const key = mappingPlanCacheKey(base);
		expect(mappingPlanCacheKey({ ...base, templateHash: 't2' })).not.toBe(key);
		expect(mappingPlanCacheKey({ ...base, rules: [{ ...rules[0], format: '3' }] })).not.toBe(key);
		expect(mappingPlanCacheKey({ ...base, rules: [{ ...rules[0], default: 0 }] })).not.toBe(key);
		expect(mappingPlanCacheKey({ ...base, itemKeys: ['firstName', 'amount'] })).not.toBe(key);
		expect(mappingPlanCacheKey({ ...base, itemKeys: ['amount', 'first_name'] })).not.toBe(key);
		expect(mappingPlanCacheKey({ ...base, autoMap: false })).not.toBe(key);
	});

	it('ignores item keys without autoMap, since the plan does too', () => {
		const off = { ...base, autoMap: false };
		expect(mappingPlanCacheKey({ ...off, itemKeys: ['x'] })).toBe(mappingPlanCacheKey(off));
	});
});

describe('MappingPlanCache', () => {
	const key = (itemKeys: string[]) => ({ templateHash: 't1', rules, autoMap: true, itemKeys });

	it('builds on a miss and serves the same plan on a hit', () => {
		const cache = new MappingPlanCache();
		const build = builder(['first_name', 'amount']);
		const first = cache.get(key(['first_name', 'amount']), build);
		const second = cache.get(key(['first_name', 'amount']), build);
		expect(first.hit).toBe(false);
		expect(second.hit).toBe(true);
		expect(second.plan).toBe(first.plan);
		expect(build).toHaveBeenCalledTimes(1);
		expect(cache.stats()).toEqual({ entries: 1, maxEntries: 1000, hits: 1, misses: 1, evictions: 0 });
	});

	it('gives different shapes different plans', () => {
		const cache = new MappingPlanCache();
		const snake = cache.get(key(['first_name', 'amount']), builder(['first_name', 'amount'])).plan;
		const camel = cache.get(key(['firstName', 'amount']), builder(['firstName', 'amount'])).plan;
		expect(camel).not.toBe(snake);
		expect(applyMappingPlan(snake, { first_name: 'Ada', amount: 1 }).data).toEqual({ first_name: 'Ada', total: '1.00' });
		expect(applyMappingPlan(camel, { firstName: 'Ada', amount: 1 }).data).toEqual({ first_name: 'Ada', total: '1.00' });
		expect(cache.stats()).toMatchObject({ entries: 2, misses: 2, hits: 0 });
	});

	it('keeps at most maxEntries plans, least recently used leaving first', () => {
		const cache = new MappingPlanCache(2);
		cache.get(key(['a']), builder(['a']));
		cache.get(key(['b']), builder(['b']));
		cache.get(key(['a']), builder(['a'])); // a is now the most recently used
		cache.get(key(['c']), builder(['c'])); // evicts b
		expect(cache.stats()).toMatchObject({ entries: 2, evictions: 1 });
		expect(cache.get(key(['a']), builder(['a'])).hit).toBe(true);
		expect(cache.get(key(['b']), builder(['b'])).hit).toBe(false);
	});

	it('caches no failed build', () => {
		const cache = new MappingPlanCache();
		const badRules = [{ variable: 'x', path: 'a..b' }];
		const build = () => buildMappingPlan([], badRules, [], { autoMap: false });
		const badKey = { templateHash: 't', rules: badRules, autoMap: false, itemKeys: [] };
		expect(() => cache.get(badKey, build)).toThrow('a..b');
		expect(() => cache.get(badKey, build)).toThrow('a..b');
		expect(cache.stats()).toMatchObject({ entries: 0, misses: 2 });
	});

	it('lets the build report rules that cannot even be serialised', () => {
		const loop: Record<string, unknown> = {};
		loop.self = loop;
		const badRules = [{ variable: 'x', path: 'a', default: loop }];
		const cache = new MappingPlanCache();
		expect(() =>
			cache.get({ templateHash: 't', rules: badRules, autoMap: false, itemKeys: [] }, () =>
				buildMappingPlan([], badRules, [], { autoMap: false }),
			),
		).toThrow('refers to itself');
	});

	it('refuses a bound that is not a positive integer', () => {
		expect(() => new MappingPlanCache(0)).toThrow('Expected `maxEntries` to be an integer from 1 and up, got 0');
		expect(() => new MappingPlanCache(1.5)).toThrow('maxEntries');
	});
});

describe('LastPlanMemo', () => {
	const request: PlanRequest = { templateHash: 't1', variables, rules, autoMap: true };

	it('reuses the previous plan while the item shape stays, and goes to the cache when it changes', () => {
		const cache = new MappingPlanCache();
		const memo = new LastPlanMemo(cache);
		const first = memo.planFor(request, { first_name: 'Ada', amount: 1 });
		const second = memo.planFor(request, { first_name: 'Bob', amount: 2 });
		expect(first.outcome).toBe('miss');
		expect(second.outcome).toBe('memo');
		expect(second.plan).toBe(first.plan);

		const camel = memo.planFor(request, { firstName: 'Cy', amount: 3 });
		expect(camel.outcome).toBe('miss');
		expect(camel.plan).not.toBe(first.plan);
		expect(applyMappingPlan(camel.plan, { firstName: 'Cy', amount: 3 }).data).toEqual({ first_name: 'Cy', total: '3.00' });

		const back = memo.planFor(request, { first_name: 'Di', amount: 4 });
		expect(back).toEqual({ plan: first.plan, outcome: 'hit' });
		expect(cache.stats()).toMatchObject({ entries: 2, hits: 1, misses: 2 });
	});

	it('treats reordered keys as another shape', () => {
		const memo = new LastPlanMemo();
		memo.planFor(request, { first_name: 'Ada', amount: 1 });
		expect(memo.planFor(request, { amount: 1, first_name: 'Ada' }).outcome).toBe('miss');
	});

	it('ignores item shape without autoMap', () => {
		const memo = new LastPlanMemo();
		const manual = { ...request, autoMap: false };
		expect(memo.planFor(manual, { a: 1 }).outcome).toBe('miss');
		expect(memo.planFor(manual, { b: 1, c: 2 }).outcome).toBe('memo');
	});

	it('goes to the cache when the template, the rules array or autoMap change', () => {
		const memo = new LastPlanMemo();
		const sample = { first_name: 'Ada', amount: 1 };
		memo.planFor(request, sample);
		expect(memo.planFor({ ...request, templateHash: 't2' }, sample).outcome).toBe('miss');
		expect(memo.planFor({ ...request, templateHash: 't2', rules: [...rules] }, sample).outcome).toBe('hit');
		expect(memo.planFor({ ...request, templateHash: 't2', rules: [...rules], autoMap: false }, sample).outcome).toBe('miss');
		memo.reset();
		expect(memo.planFor(request, sample).outcome).toBe('hit');
	});

	it('keeps the previous plan when a build fails', () => {
		const memo = new LastPlanMemo();
		const sample = { first_name: 'Ada', amount: 1 };
		const good = memo.planFor(request, sample);
		expect(() => memo.planFor({ ...request, rules: [{ variable: 'x', path: '' }] }, sample)).toThrow('it is empty');
		expect(memo.planFor(request, sample)).toEqual({ plan: good.plan, outcome: 'memo' });
	});
});
