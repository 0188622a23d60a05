import {
	FormatError,
	formatNumber,
	MAX_DECIMALS,
	numberFormatter,
	parseNumberValue,
	readDecimals,
} from '../../../../lib/templates/format';
import { thrownError } from '../../../helpers/thrownError';

describe('parseNumberValue', () => {
	it('takes finite numbers and numeric text in plain decimal notation', () => {
		expect(parseNumberValue(-3)).toBe(-3);
		expect(parseNumberValue(' 1234.5 ')).toBe(1234.5);
		expect(parseNumberValue('-.5')).toBe(-0.5);
		expect(parseNumberValue('1e3')).toBe(1000);
		expect(parseNumberValue('+7.')).toBe(7);
	});

	const notNumbers = ['abc', '1,234', '0x10', '0b11', '', 'Infinity', true, null, Number.NaN, Number.POSITIVE_INFINITY, { n: 1 }];
	it.each(notNumbers.map((value) => [value]))('refuses %p, naming it', (value) => {
		const error = thrownError(FormatError, () => parseNumberValue(value));
		expect(error.expected).toBe('a finite number or numeric text');
		if (typeof value === 'string') expect(error.actual).toBe(JSON.stringify(value));
	});
});

describe('readDecimals', () => {
	it('takes whole numbers from 0 to 20', () => {
		expect(readDecimals(0)).toBe(0);
		expect(readDecimals(MAX_DECIMALS)).toBe(20);
	});

	it.each([[-1], [1.5], [21], ['2'], [Number.NaN]])('refuses %p', (decimals) => {
		expect(() => readDecimals(decimals)).toThrow('Expected decimals to be a whole number from 0 to 20');
	});
});

describe('numberFormatter and formatNumber', () => {
	it('formats in en-US with Intl defaults when no style is given', () => {
		expect(formatNumber(1234567.891)).toBe('1,234,567.891');
		expect(formatNumber(1.23456)).toBe('1.235');
	});

	it('fixes decimals, padding and rounding, and uses the locale given', () => {
		expect(formatNumber(1.5, { decimals: 2 })).toBe('1.50');
		expect(formatNumber(2.5, { decimals: 0 })).toBe('3');
		expect(formatNumber('1234.5', { locale: 'de-DE', decimals: 2 })).toBe('1.234,50');
		expect(formatNumber(1234567.891, { locale: 'en-IN', decimals: 1 })).toBe('12,34,567.9');
	});

	it('builds one Intl formatter per style, defaults included', () => {
		const formatter = numberFormatter({ locale: 'de-DE', decimals: 2 });
		expect(numberFormatter({ locale: 'de-DE', decimals: 2 })).toBe(formatter);
		expect(numberFormatter({})).toBe(numberFormatter({ locale: 'en-US' }));
		expect(numberFormatter({ locale: 'de-DE' })).not.toBe(formatter);
	});

	it('refuses a bad style with FormatErrors', () => {
		expect(() => numberFormatter({ decimals: 21 })).toThrow(FormatError);
		expect(() => numberFormatter({ locale: 'not a locale!' })).toThrow('Expected a locale such as');
		expect(() => formatNumber('lots')).toThrow('Expected a finite number or numeric text, got "lots"');
	});
});
