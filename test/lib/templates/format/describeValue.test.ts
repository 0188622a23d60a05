import { describeValue } from '../../../../lib/templates/format';

describe('describeValue', () => {
	it('quotes text and cuts it after 60 characters', () => {
		expect(describeValue('next tuesday')).toBe('"next tuesday"');
		expect(describeValue('say "hi"')).toBe('"say \\"hi\\""');
		expect(describeValue('x'.repeat(100))).toBe(`"${'x'.repeat(60)}…"`);
	});

	it('writes numbers, booleans and bigints as they are, NaN and Infinity included', () => {
		expect(describeValue(1.5)).toBe('1.5');
		expect(describeValue(Number.NaN)).toBe('NaN');
		expect(describeValue(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
		expect(describeValue(false)).toBe('false');
		expect(describeValue(BigInt(7))).toBe('7n');
	});

	it('names null, undefined and Dates, valid or not', () => {
		expect(describeValue(null)).toBe('null');
		expect(describeValue(undefined)).toBe('undefined');
		expect(describeValue(new Date(0))).toBe('Date(1970-01-01T00:00:00.000Z)');
		expect(describeValue(new Date(Number.NaN))).toBe('Date(invalid)');
	});

	it('names structures without showing what they hold', () => {
		expect(describeValue({ password: 'hunter2' })).toBe('an object');
		expect(describeValue(['hunter2'])).toBe('an array');
		expect(describeValue(Object.create(null))).toBe('an object');
		expect(describeValue(new Map([['password', 'hunter2']]))).toBe('an instance of Map');
		expect(describeValue(() => 'hunter2')).toBe('a function');
		expect(describeValue(Symbol('hunter2'))).toBe('a symbol');
	});
});
