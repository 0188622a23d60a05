import { InvalidPathError, UnsafePathError } from '../../../../lib/templates/mapping/itemPath';
import {
	applyMappingPlan,
	buildMappingPlan,
	InvalidMappingError,
	type MappingRule,
} from '../../../../lib/templates/mapping/mappingPlan';
import { TransformError } from '../../../../lib/templates/mapping/transformError';

const item = {
	firstName: 'ada',
	last_name: 'Lovelace',
	customer: { address: [{ city: 'London' }] },
	total: '1234.5',
	createdAt: '2024-03-01T23:30:00Z',
	note: null,
	password: 'hunter2',
};
const itemKeys = Object.keys(item);

describe('buildMappingPlan', () => {
	it('maps rules first, then matches the rest automatically, and lists what is left', () => {
		const plan = buildMappingPlan(
			['first_name', 'last_name', 'city', 'total', 'email'],
			[
				{ variable: 'city', path: '$json.customer.address[0].city' },
				{ variable: 'total', path: 'total', transform: 'number', format: '2' },
			],
			itemKeys,
			{ autoMap: true },
		);
		expect(plan.entries.map(({ variable, segments, source, transform }) => ({ variable, segments, source, transform }))).toEqual([
			{ variable: 'first_name', segments: ['firstName'], source: 'auto', transform: 'none' },
			{ variable: 'last_name', segments: ['last_name'], source: 'auto', transform: 'none' },
			{ variable: 'city', segments: ['customer', 'address', '0', 'city'], source: 'rule', transform: 'none' },
			{ variable: 'total', segments: ['total'], source: 'rule', transform: 'number' },
		]);
		expect(plan.unmapped).toEqual(['email']);
		expect(plan.variables).toEqual(['first_name', 'last_name', 'city', 'total', 'email']);
	});

	it('lets a rule win over an automatic match', () => {
		const plan = buildMappingPlan(['last_name'], [{ variable: 'last_name', path: 'firstName' }], itemKeys, { autoMap: true });
		expect(plan.entries).toHaveLength(1);
		expect(plan.entries[0]).toMatchObject({ source: 'rule', segments: ['firstName'] });
	});

	it('matches nothing automatically without autoMap', () => {
		const plan = buildMappingPlan(['firstName', 'city'], [{ variable: 'city', path: 'customer.address[0].city' }], itemKeys, {
			autoMap: false,
		});
		expect(plan.entries.map((entry) => entry.variable)).toEqual(['city']);
		expect(plan.unmapped).toEqual(['firstName']);
	});

	it('keeps rules for variables the template does not use, after the template variables', () => {
		const plan = buildMappingPlan(['firstName'], [{ variable: 'extra', path: 'last_name' }], itemKeys, { autoMap: true });
		expect(plan.entries.map((entry) => [entry.variable, entry.inTemplate])).toEqual([
			['firstName', true],
			['extra', false],
		]);
	});

	it('drops duplicate template variables, and trims rule variables and paths', () => {
		const plan = buildMappingPlan(['a', 'b', 'a'], [{ variable: ' a ', path: ' last_name ' }], itemKeys, { autoMap: false });
		expect(plan.variables).toEqual(['a', 'b']);
		expect(plan.entries[0]).toMatchObject({ variable: 'a', segments: ['last_name'] });
	});

	it('treats an empty or null format and an empty transform as none, and a numeric format as its text', () => {
		const rules = [
			{ variable: 'a', path: 'a', transform: '', format: '' },
			{ variable: 'b', path: 'b', transform: 'trim', format: null },
			{ variable: 'c', path: 'c', transform: 'number', format: 2 },
		] as unknown as MappingRule[];
		const plan = buildMappingPlan([], rules, [], { autoMap: false });
		expect(plan.entries.map(({ transform, format }) => [transform, format])).toEqual([
			['none', undefined],
			['trim', undefined],
			['number', '2'],
		]);
	});

	it('freezes the plan and a copy of each default', () => {
		const fallback = { label: 'n/a', list: [1] };
		const plan = buildMappingPlan(['x'], [{ variable: 'x', path: 'missing', default: fallback }], [], { autoMap: false });
		expect(Object.isFrozen(plan)).toBe(true);
		expect(Object.isFrozen(plan.entries)).toBe(true);
		expect(Object.isFrozen(plan.entries[0])).toBe(true);
		expect(Object.isFrozen(plan.entries[0].segments)).toBe(true);
		const stored = plan.entries[0].default as typeof fallback;
		expect(stored).toEqual(fallback);
		expect(stored).not.toBe(fallback);
		expect(Object.isFrozen(stored.list)).toBe(true);
		fallback.label = 'changed later';
		expect(applyMappingPlan(plan, {}).data.x).toEqual({ label: 'n/a', list: [1] });
		expect(Object.isFrozen(fallback)).toBe(false);
	});

	describe('refuses', () => {
		it.each([
			[['ok', ''], 'template variable names to be non-empty text'],
			[['  '], 'template variable names to be non-empty text'],
			[[42], 'template variable names to be non-empty text'],
			[['__proto__'], 'other than __proto__, constructor and prototype, got "__proto__"'],
			[['constructor'], 'got "constructor"'],
			[['prototype'], 'got "prototype"'],
		])('template variables %j', (variables, message) => {
			expect(() => buildMappingPlan(variables as string[], [], [], { autoMap: true })).toThrow(InvalidMappingError);
			expect(() => buildMappingPlan(variables as string[], [], [], { autoMap: true })).toThrow(message);
		});

		it.each([
			[{ variable: '', path: 'a' }, 'Expected the variable of mapping rule 1 to be non-empty text'],
			[{ variable: '__proto__', path: 'a' }, 'Expected the variable of mapping rule 1 to be other than __proto__'],
			[{ variable: 'constructor', path: 'a' }, 'got "constructor"'],
			[{ variable: 'x', path: 7 }, 'Expected the path of the rule for "x" to be text, got 7'],
			[{ variable: 'x', path: 'a', transform: 'shout' }, 'Expected the transform of the rule for "x" to be one of none, trim'],
			[{ variable: 'x', path: 'a', default: new Date(0) }, 'default of the rule for "x" to be a JSON value'],
			[{ variable: 'x', path: 'a', default: { n: Number.NaN } }, 'which JSON cannot represent'],
			[{ variable: 'x', path: 'a', default: JSON.parse('{"__proto__": 1}') }, 'uses the key "__proto__"'],
			[{ variable: 'x', path: 'a', default: () => 1 }, 'which JSON cannot represent'],
			[null, 'Expected mapping rule 1 to be an object'],
		])('the rule %p', (rule, message) => {
			expect(() => buildMappingPlan([], [rule as MappingRule], [], { autoMap: false })).toThrow(InvalidMappingError);
			expect(() => buildMappingPlan([], [rule as MappingRule], [], { autoMap: false })).toThrow(message);
		});

		it('a default that refers to itself', () => {
			const loop: Record<string, unknown> = {};
			loop.self = loop;
			expect(() => buildMappingPlan([], [{ variable: 'x', path: 'a', default: loop }], [], { autoMap: false })).toThrow(
				'refers to itself',
			);
		});

		it('two rules for one variable', () => {
			const rules = [
				{ variable: 'x', path: 'a' },
				{ variable: ' x', path: 'b' },
			];
			expect(() => buildMappingPlan(['x'], rules, [], { autoMap: false })).toThrow('Expected one rule per variable, got more than one for "x"');
		});

		it('bad and unsafe paths, and bad formats, with their own errors', () => {
			const build = (rule: MappingRule) => () => buildMappingPlan([], [rule], [], { autoMap: false });
			expect(build({ variable: 'x', path: 'a..b' })).toThrow(InvalidPathError);
			expect(build({ variable: 'x', path: 'a["constructor"].b' })).toThrow(UnsafePathError);
			expect(build({ variable: 'x', path: 'a', transform: 'number', format: 'de_DE:2' })).toThrow(TransformError);
			expect(build({ variable: 'x', path: 'a', transform: 'upper', format: '2' })).toThrow('Expected no format for transform "upper"');
		});
	});
});

describe('applyMappingPlan', () => {
	const rules: MappingRule[] = [
		{ variable: 'city', path: 'customer.address[0].city', transform: 'upper' },
		{ variable: 'total', path: 'total', transform: 'number', format: 'de-DE:2' },
		{ variable: 'created', path: 'createdAt', transform: 'date', format: 'dd.MM.yyyy HH:mm|Europe/Berlin' },
		{ variable: 'phone', path: 'customer.phone', default: 'n/a', transform: 'upper' },
		{ variable: 'name', path: 'firstName', transform: 'titleCase' },
	];
	const variables = ['name', 'last_name', 'city', 'total', 'created', 'phone', 'note', 'email', 'zip'];
	const plan = buildMappingPlan(variables, [...rules, { variable: 'zip', path: 'customer.zip' }], itemKeys, { autoMap: true });

	it('maps rules with transforms and defaults, and automatic matches', () => {
		const { data } = applyMappingPlan(plan, item);
		expect(data).toEqual({
			name: 'Ada',
			last_name: 'Lovelace',
			city: 'LONDON',
			total: '1.234,50',
			created: '02.03.2024 00:30',
			phone: 'n/a', // the default is used as it is, not transformed
			note: null,
		});
	});

	it('lists missing variables in template order: unmapped ones and those without a value; null is a value', () => {
		expect(applyMappingPlan(plan, item).missing).toEqual(['email', 'zip']);
		expect(applyMappingPlan(plan, {}).missing).toEqual(['name', 'last_name', 'city', 'total', 'created', 'note', 'email', 'zip']);
	});

	it('returns an empty, shared missing list when nothing is missing', () => {
		const complete = buildMappingPlan(['firstName'], [], itemKeys, { autoMap: true });
		const first = applyMappingPlan(complete, item);
		expect(first.missing).toEqual([]);
		expect(applyMappingPlan(complete, item).missing).toBe(first.missing);
		expect(Object.isFrozen(first.missing)).toBe(true);
	});

	it('puts only mapped variables in a fresh plain object, never the rest of the item', () => {
		const first = applyMappingPlan(plan, item).data;
		const second = applyMappingPlan(plan, item).data;
		expect(first).not.toBe(second);
		expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
		expect(Object.keys(first).sort()).toEqual(['city', 'created', 'last_name', 'name', 'note', 'phone', 'total']);
		expect(JSON.stringify(first)).not.toContain('hunter2');
		expect(first).not.toHaveProperty('password');
		expect(first).not.toHaveProperty('customer');
	});

	it('does not report rules for variables outside the template as missing, but maps them when found', () => {
		const withExtra = buildMappingPlan(['a'], [{ variable: 'a', path: 'a' }, { variable: 'extra', path: 'b' }], [], { autoMap: false });
		expect(applyMappingPlan(withExtra, { a: 1 })).toEqual({ data: { a: 1 }, missing: [] });
		expect(applyMappingPlan(withExtra, { a: 1, b: 2 })).toEqual({ data: { a: 1, extra: 2 }, missing: [] });
	});

	it('applies defaults only to undefined, never to null', () => {
		const withDefault = buildMappingPlan(['note'], [{ variable: 'note', path: 'note', default: '-' }], [], { autoMap: false });
		expect(applyMappingPlan(withDefault, { note: null }).data).toEqual({ note: null });
		expect(applyMappingPlan(withDefault, {}).data).toEqual({ note: '-' });
		const nullDefault = buildMappingPlan(['note'], [{ variable: 'note', path: 'note', default: null }], [], { autoMap: false });
		expect(applyMappingPlan(nullDefault, {})).toEqual({ data: { note: null }, missing: [] });
	});

	it('reads no inherited properties of an item', () => {
		const inherited = Object.create({ firstName: 'inherited', total: '1' }) as object;
		const result = applyMappingPlan(plan, inherited);
		expect(result.data).toEqual({ phone: 'n/a' });
		expect(result.missing).toContain('name');
	});

	it('names the variable when a value cannot be transformed', () => {
		let caught: unknown;
		try {
			applyMappingPlan(plan, { ...item, total: 'lots' });
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(TransformError);
		expect((caught as TransformError).variable).toBe('total');
		expect((caught as Error).message).toBe(
			'Cannot map variable "total": Expected a finite number or numeric text for transform "number", got "lots"',
		);
	});

	it('maps non-object items to nothing', () => {
		for (const odd of [null, undefined, 'text', 42, [1, 2]]) {
			expect(applyMappingPlan(plan, odd).data).toEqual({ phone: 'n/a' });
		}
	});
});
