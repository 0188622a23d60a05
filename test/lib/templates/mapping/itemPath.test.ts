import {
	InvalidPathError,
	parseItemPath,
	readPath,
	UnsafePathError,
} from '../../../../lib/templates/mapping/itemPath';

describe('parseItemPath', () => {
	it.each([
		['total', ['total']],
		['customer.address[0].city', ['customer', 'address', '0', 'city']],
		['a["b c"].d', ['a', 'b c', 'd']],
		["['x']", ['x']],
		["['x.y'][2]['z']", ['x.y', '2', 'z']],
		['items[10][0]', ['items', '10', '0']],
		['first name.zip-code', ['first name', 'zip-code']],
		['  padded.path  ', ['padded', 'path']],
		['a["say \\"hi\\""]', ['a', 'say "hi"']],
		["a['it\\'s']", ['a', "it's"]],
		['a[""]', ['a', '']],
		['$json.customer.name', ['customer', 'name']],
		['$json["first name"]', ['first name']],
		['$json[0]', ['0']],
		['$jsonish.a', ['$jsonish', 'a']],
		['a.0.b', ['a', '0', 'b']],
	])('parses %s', (path, segments) => {
		expect(parseItemPath(path)).toEqual(segments);
	});

	it.each([
		['', 'it is empty'],
		['   ', 'it is empty'],
		['$json', 'name a field below $json'],
		['$json.', 'it is empty'],
		['a..b', 'expected a name at position 2'],
		['.a', 'expected a name at position 0'],
		['a.', 'the path ends'],
		['a[', 'expected an index or a quoted name'],
		['a[]', 'expected an index or a quoted name'],
		['a[b]', 'expected an index or a quoted name'],
		['a[-1]', 'expected an index or a quoted name'],
		['a[01]', 'without leading zeros'],
		['a["b"', 'expected "]" after the quoted name'],
		['a["b', 'is not closed'],
		['a[0]b', 'expected "." or "[" at position 4'],
		['a]', 'expected "." or "[" at position 1, found "]"'],
		[']a', 'expected a name at position 0, found "]"'],
		['a.[0]', 'expected a name at position 2'],
	])('refuses %j: %s', (path, reason) => {
		expect(() => parseItemPath(path)).toThrow(InvalidPathError);
		expect(() => parseItemPath(path)).toThrow(reason);
		expect(() => parseItemPath(path)).toThrow(JSON.stringify(path));
	});

	it('refuses a non-string path', () => {
		expect(() => parseItemPath(42 as unknown as string)).toThrow(InvalidPathError);
	});

	it.each(['__proto__', 'constructor', 'prototype'])('refuses the segment %s anywhere and in any notation', (name) => {
		const paths = [
			name,
			`a.${name}`,
			`${name}.a`,
			`a.b.${name}.c`,
			`a["${name}"]`,
			`a['${name}'].b`,
			`['${name}']`,
			`$json.${name}`,
			`$json["${name}"]`,
			`$json.a[0].${name}`,
			// Escapes cannot smuggle it past the check.
			`a["${name.slice(0, 3)}\\${name.slice(3)}"]`,
		];
		for (const path of paths) {
			let caught: unknown;
			try {
				parseItemPath(path);
			} catch (error) {
				caught = error;
			}
			expect(caught).toBeInstanceOf(UnsafePathError);
			expect((caught as UnsafePathError).segment).toBe(name);
			expect((caught as Error).message).toContain(JSON.stringify(path));
			expect((caught as Error).message).toContain(`"${name}"`);
		}
	});

	it('accepts names that merely contain an unsafe word', () => {
		expect(parseItemPath('constructorName.prototypes.__proto')).toEqual(['constructorName', 'prototypes', '__proto']);
	});
});

describe('readPath', () => {
	const item = {
		customer: { address: [{ city: 'Berlin' }, { city: 'Paris' }], 'first name': 'Ada' },
		tags: ['a', 'b'],
		nothing: null,
		zero: 0,
	};

	it('follows object keys and array indices', () => {
		expect(readPath(item, ['customer', 'address', '1', 'city'])).toBe('Paris');
		expect(readPath(item, ['customer', 'first name'])).toBe('Ada');
		expect(readPath(item, ['tags', '0'])).toBe('a');
		expect(readPath(item, ['zero'])).toBe(0);
		expect(readPath(item, ['nothing'])).toBeNull();
	});

	it('returns undefined for anything missing', () => {
		expect(readPath(item, ['customer', 'address', '5', 'city'])).toBeUndefined();
		expect(readPath(item, ['customer', 'phone'])).toBeUndefined();
		expect(readPath(item, ['nothing', 'deeper'])).toBeUndefined();
		expect(readPath(item, ['zero', 'deeper'])).toBeUndefined();
		expect(readPath(null, ['a'])).toBeUndefined();
		expect(readPath('text', ['a'])).toBeUndefined();
	});

	it('reads no inherited properties', () => {
		const inherited = Object.create({ secret: 'from the prototype', nested: { x: 1 } }) as Record<string, unknown>;
		inherited.own = 'mine';
		expect(readPath(inherited, ['own'])).toBe('mine');
		expect(readPath(inherited, ['secret'])).toBeUndefined();
		expect(readPath(inherited, ['nested', 'x'])).toBeUndefined();
		expect(readPath({}, ['toString'])).toBeUndefined();
		expect(readPath({}, ['constructor'])).toBeUndefined();
		expect(readPath({}, ['__proto__'])).toBeUndefined();
		expect(readPath({ a: {} }, ['a', 'hasOwnProperty'])).toBeUndefined();
	});

	it('reads only indices of arrays and nothing of primitives', () => {
		expect(readPath(item, ['tags', 'length'])).toBeUndefined();
		expect(readPath(item, ['tags', 'map'])).toBeUndefined();
		expect(readPath(item, ['tags', '01'])).toBeUndefined();
		expect(readPath({ name: 'Ada' }, ['name', 'length'])).toBeUndefined();
		expect(readPath({ name: 'Ada' }, ['name', '0'])).toBeUndefined();
		expect(readPath({ list: [1, , 3] }, ['list', '1'])).toBeUndefined();
	});

	it('reads an own "__proto__" key of parsed JSON as data, never the prototype', () => {
		const parsed = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
		expect(readPath(parsed, ['__proto__', 'x'])).toBe(1);
	});

	it('returns the value itself for no segments', () => {
		expect(readPath(item, [])).toBe(item);
	});
});
