import { parseRetryAfterMs } from '../../../lib/resilience/retryAfter';

const NOW = Date.UTC(2026, 0, 1, 0, 0, 0);

describe('parseRetryAfterMs', () => {
	it('reads retry-after-ms, x-ms-retry-after-ms and retry-after, fractions included', () => {
		expect(parseRetryAfterMs({ 'retry-after-ms': '1500' }, NOW)).toBe(1500);
		expect(parseRetryAfterMs({ 'retry-after-ms': '12.5' }, NOW)).toBe(12.5);
		expect(parseRetryAfterMs({ 'x-ms-retry-after-ms': '250' }, NOW)).toBe(250);
		expect(parseRetryAfterMs({ 'retry-after': '20' }, NOW)).toBe(20_000);
		expect(parseRetryAfterMs({ 'retry-after': '0.5' }, NOW)).toBe(500);
		expect(parseRetryAfterMs({ 'retry-after': ' 3 ' }, NOW)).toBe(3000);
		expect(parseRetryAfterMs({ 'retry-after': '0' }, NOW)).toBe(0);
	});

	it('prefers retry-after-ms over x-ms-retry-after-ms over retry-after', () => {
		const all = { 'retry-after-ms': '100', 'x-ms-retry-after-ms': '200', 'retry-after': '3' };
		expect(parseRetryAfterMs(all, NOW)).toBe(100);
		expect(parseRetryAfterMs({ ...all, 'retry-after-ms': undefined }, NOW)).toBe(200);
		expect(parseRetryAfterMs({ 'retry-after': '3' }, NOW)).toBe(3000);
	});

	it('reads an HTTP-date in all three forms relative to now, and a past date as 0', () => {
		expect(parseRetryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, NOW)).toBe(30_000);
		expect(parseRetryAfterMs({ 'retry-after': 'Thursday, 01-Jan-26 00:01:00 GMT' }, NOW)).toBe(60_000);
		// asctime carries no zone; HTTP means GMT whatever the machine's time zone.
		expect(parseRetryAfterMs({ 'retry-after': 'Thu Jan  1 00:00:10 2026' }, NOW)).toBe(10_000);
		expect(parseRetryAfterMs({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, NOW)).toBe(0);
	});

	it('ignores garbage and falls through to the next header', () => {
		for (const garbage of ['soon', '-5', '1e3', '0x10', '10abc', '', '2026-01-01T00:00:30Z', 'NaN', 'Infinity', '9'.repeat(400)]) {
			expect(parseRetryAfterMs({ 'retry-after': garbage }, NOW)).toBeUndefined();
			expect(parseRetryAfterMs({ 'retry-after-ms': garbage }, NOW)).toBeUndefined();
		}
		expect(parseRetryAfterMs({ 'retry-after': 'Thu, 99 Foo 2026 00:00:30 GMT' }, NOW)).toBeUndefined();
		expect(parseRetryAfterMs({ 'retry-after-ms': 'later', 'x-ms-retry-after-ms': '-1', 'retry-after': '2' }, NOW)).toBe(2000);
		expect(parseRetryAfterMs({}, NOW)).toBeUndefined();
		expect(parseRetryAfterMs(undefined, NOW)).toBeUndefined();
	});

	it('accepts fetch Headers and anything else with get(name)', () => {
		expect(parseRetryAfterMs(new Headers({ 'Retry-After': '7' }), NOW)).toBe(7000);
		expect(parseRetryAfterMs(new Headers({ 'Retry-After-Ms': '70', 'Retry-After': '7' }), NOW)).toBe(70);
		expect(parseRetryAfterMs(new Headers(), NOW)).toBeUndefined();
		expect(parseRetryAfterMs({ get: (name: string) => (name === 'x-ms-retry-after-ms' ? '5' : null) }, NOW)).toBe(5);
	});

	it('takes the first value of a header given as an array', () => {
		expect(parseRetryAfterMs({ 'retry-after': ['4', '9'] }, NOW)).toBe(4000);
	});
});
