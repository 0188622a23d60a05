import { rememberBounded } from '../../../../lib/templates/format/boundedMemo';

describe('rememberBounded', () => {
	it('creates a value once per key', () => {
		const map = new Map<string, number>();
		const create = jest.fn(() => 1);
		expect(rememberBounded(map, 10, 'a', create)).toBe(1);
		expect(rememberBounded(map, 10, 'a', create)).toBe(1);
		expect(create).toHaveBeenCalledTimes(1);
	});

	it('empties a full map before adding, so it never holds more than its bound', () => {
		const map = new Map<number, number>();
		for (let key = 0; key < 25; key++) rememberBounded(map, 10, key, () => key * 2);
		expect(map.size).toBeLessThanOrEqual(10);
		expect(rememberBounded(map, 10, 24, () => -1)).toBe(48);
	});

	it('keeps nothing when creating fails', () => {
		const map = new Map<string, number>();
		expect(() =>
			rememberBounded(map, 10, 'a', () => {
				throw new Error('bad');
			}),
		).toThrow('bad');
		expect(map.size).toBe(0);
	});
});
