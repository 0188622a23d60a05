import {
	dateFormatter,
	DEFAULT_DATE_PATTERN,
	FormatError,
	formatDate,
} from '../../../../lib/templates/format';

describe('formatDate', () => {
	it('formats as yyyy-MM-dd in en-US by default, without shifting date-only text', () => {
		expect(DEFAULT_DATE_PATTERN).toBe('yyyy-MM-dd');
		expect(formatDate('2024-03-01')).toBe('2024-03-01');
		expect(formatDate('2024-03-01', { pattern: 'EEEE, MMMM d' })).toBe('Friday, March 1');
	});

	it('applies pattern, zone and locale together', () => {
		const style = { pattern: "d. MMMM yyyy 'um' HH:mm", zone: 'Europe/Berlin', locale: 'de-DE' };
		expect(formatDate('2024-03-01T23:30:00Z', style)).toBe('2. März 2024 um 00:30');
		expect(formatDate('2024-03-05 10:00:00', { pattern: 'dd.MM.yyyy HH:mm' })).toBe('05.03.2024 10:00');
	});

	it('refuses a bad zone or locale, and a value that is not a date, with FormatErrors', () => {
		expect(() => formatDate('2024-03-01', { zone: 'Mars/Olympus' })).toThrow(FormatError);
		expect(() => formatDate('2024-03-01', { locale: 'de_DE' })).toThrow(FormatError);
		expect(() => formatDate('soon')).toThrow('got "soon"');
	});
});

describe('dateFormatter', () => {
	it('builds one formatter per style, defaults included', () => {
		const formatter = dateFormatter({ pattern: 'HH:mm', zone: 'UTC+2' });
		expect(dateFormatter({ pattern: 'HH:mm', zone: 'UTC+2', locale: 'en-US' })).toBe(formatter);
		expect(dateFormatter({ pattern: 'HH:mm' })).not.toBe(formatter);
		expect(formatter).toMatchObject({ pattern: 'HH:mm', zone: 'UTC+2', locale: 'en-US' });
	});

	it('gives the same text for repeated values, numbers and Dates alike, past its result cache bound', () => {
		const formatter = dateFormatter({ pattern: 'dd.MM.yyyy HH:mm', zone: 'Europe/Berlin' });
		const first = formatter.format('2024-03-01T23:30:00Z');
		expect(formatter.format('2024-03-01T23:30:00Z')).toBe(first);
		const start = Date.UTC(2024, 0, 1);
		for (let day = 0; day < 1500; day++) formatter.format(start + day * 86_400_000);
		expect(formatter.format(start + 1499 * 86_400_000)).toBe('08.02.2028 01:00');
		expect(formatter.format(new Date(start + 1499 * 86_400_000))).toBe('08.02.2028 01:00');
		expect(formatter.format('2024-03-01T23:30:00Z')).toBe(first);
	});

	it('does not remember failures', () => {
		const formatter = dateFormatter({ pattern: 'yyyy' });
		expect(() => formatter.format('later')).toThrow(FormatError);
		expect(() => formatter.format('later')).toThrow(FormatError);
	});
});
