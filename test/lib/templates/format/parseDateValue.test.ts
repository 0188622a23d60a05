import { DateTime, Settings } from 'luxon';
import { EXPECTED_DATE, FormatError, parseDateValue, readZone } from '../../../../lib/templates/format';
import { thrownError } from '../../../helpers/thrownError';

const UTC_EN = { locale: 'en-US' };
const iso = (value: unknown, zone?: string): string | null => parseDateValue(value, { zone, locale: 'en-US' }).toISO();

describe('parseDateValue', () => {
	it('keeps the offset ISO text carries and reads text without one as UTC', () => {
		expect(iso('2024-03-01T23:30:00-05:00')).toBe('2024-03-01T23:30:00.000-05:00');
		expect(iso(' 2024-03-01 ')).toBe('2024-03-01T00:00:00.000Z');
	});

	it('reads SQL-style text, with or without an offset', () => {
		expect(iso('2024-03-05 10:15:00')).toBe('2024-03-05T10:15:00.000Z');
		expect(iso('2024-03-05 10:15:00 +02:00')).toBe('2024-03-05T10:15:00.000+02:00');
		expect(iso('2024-03-05 10:15:00', 'Europe/Berlin')).toBe('2024-03-05T10:15:00.000+01:00');
	});

	it('reads offset-less text as wall time in a zone, and shows instants in it', () => {
		expect(iso('2024-07-01T12:00:00', 'Europe/Berlin')).toBe('2024-07-01T12:00:00.000+02:00');
		expect(iso('2024-07-01T12:00:00Z', 'America/New_York')).toBe('2024-07-01T08:00:00.000-04:00');
		expect(iso(Date.UTC(2024, 2, 1, 23, 30), 'UTC+2')).toBe('2024-03-02T01:30:00.000+02:00');
	});

	it('reads epoch milliseconds, Dates and luxon DateTimes, in UTC without a zone', () => {
		expect(iso(0)).toBe('1970-01-01T00:00:00.000Z');
		expect(iso(new Date(Date.UTC(2024, 0, 2, 23)))).toBe('2024-01-02T23:00:00.000Z');
		const berlin = DateTime.fromISO('2024-03-01T10:00:00', { zone: 'Europe/Berlin' });
		expect(iso(berlin)).toBe('2024-03-01T10:00:00.000+01:00');
		expect(iso(berlin, 'UTC')).toBe('2024-03-01T09:00:00.000Z');
	});

	it('sets the locale for month and weekday names', () => {
		expect(parseDateValue('2024-03-01', { locale: 'de-DE' }).toFormat('MMMM')).toBe('März');
		expect(parseDateValue(new Date(0), UTC_EN).toFormat('MMMM')).toBe('January');
	});

	const notDates = ['not a date', '1709251200000', '', Number.NaN, Number.POSITIVE_INFINITY, true, {}, new Date(Number.NaN)];
	it.each(notDates.map((value) => [value]))('refuses %p, naming it', (value) => {
		const error = thrownError(FormatError, () => parseDateValue(value, UTC_EN));
		expect(error.expected).toBe(EXPECTED_DATE);
		expect(error.message).toContain(`Expected ${EXPECTED_DATE}, got `);
		if (typeof value === 'string') expect(error.actual).toBe(JSON.stringify(value));
	});

	it('gives luxon’s reason for text that parses but is out of range, and none that repeats the input', () => {
		expect(thrownError(FormatError, () => parseDateValue('2024-13-01', UTC_EN)).reason).toContain('month');
		expect(thrownError(FormatError, () => parseDateValue('next tuesday', UTC_EN)).reason).toBeUndefined();
	});

	it('refuses invalid values also when luxon is set to throw', () => {
		const before = Settings.throwOnInvalid;
		Settings.throwOnInvalid = true;
		try {
			thrownError(FormatError, () => parseDateValue('nope', UTC_EN));
			expect(() => readZone('Mars/Olympus')).toThrow(FormatError);
		} finally {
			Settings.throwOnInvalid = before;
		}
	});
});

describe('readZone', () => {
	it('takes IANA zones, UTC and fixed offsets', () => {
		for (const zone of ['Europe/Berlin', 'UTC', 'utc', 'UTC+2']) expect(readZone(zone)).toBe(zone);
	});

	it.each([['Mars/Olympus'], [''], [2], [null]])('refuses %p', (zone) => {
		expect(thrownError(FormatError, () => readZone(zone)).message).toMatch(/^Expected a time zone such as "Europe\/Berlin"/);
	});
});
