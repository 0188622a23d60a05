import { autoMatch, normalizeName } from '../../../../lib/templates/mapping/autoMap';

describe('normalizeName', () => {
	it('lower-cases and drops white space, underscores, hyphens and dots', () => {
		for (const name of ['first_name', 'firstName', 'First Name', 'FIRST-NAME', 'first.name', ' first\t_-name ']) {
			expect(normalizeName(name)).toBe('firstname');
		}
	});
});

describe('autoMatch', () => {
	it.each(['first_name', 'firstName', 'First Name', 'FIRST-NAME'])('matches the variable first_name to the key %j', (key) => {
		expect({ ...autoMatch(['first_name'], ['id', key]) }).toEqual({ first_name: key });
	});

	it.each(['first_name', 'firstName', 'First Name', 'FIRST-NAME'])('matches the variable %j to the key first_name', (variable) => {
		expect({ ...autoMatch([variable], ['first_name']) }).toEqual({ [variable]: 'first_name' });
	});

	it('prefers the key spelled exactly like the variable', () => {
		expect({ ...autoMatch(['firstName'], ['first_name', 'firstName', 'FirstName']) }).toEqual({ firstName: 'firstName' });
	});

	it('among keys that normalize the same, prefers the one equal ignoring case', () => {
		expect({ ...autoMatch(['firstname'], ['first_name', 'FirstName', 'first-name']) }).toEqual({ firstname: 'FirstName' });
	});

	it('else takes the first such key in item key order', () => {
		expect({ ...autoMatch(['firstname'], ['first-name', 'first_name']) }).toEqual({ firstname: 'first-name' });
		expect({ ...autoMatch(['firstname'], ['first_name', 'first-name']) }).toEqual({ firstname: 'first_name' });
	});

	it('leaves out variables without a match, and variables that normalize to nothing', () => {
		expect({ ...autoMatch(['email', 'name', '_'], ['name', '-']) }).toEqual({ name: 'name' });
	});

	it('lets two variables share one key', () => {
		expect({ ...autoMatch(['first_name', 'firstName'], ['first_name']) }).toEqual({ first_name: 'first_name', firstName: 'first_name' });
	});

	it('never matches prototype names, as variables or as keys', () => {
		const keys = Object.keys(JSON.parse('{"__proto__": 1, "constructor": 2, "prototype": 3}') as object);
		expect(keys).toEqual(['__proto__', 'constructor', 'prototype']);
		expect({ ...autoMatch(['__proto__', 'constructor', 'prototype', 'proto', 'Constructor', 'PROTO_TYPE'], keys) }).toEqual({});
	});

	it('returns an object without a prototype', () => {
		const matches = autoMatch(['toString'], ['a']);
		expect(Object.getPrototypeOf(matches)).toBeNull();
		expect(matches.toString).toBeUndefined();
	});
});
