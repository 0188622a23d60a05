import { BoundedCache } from '../../../lib/cache/boundedCache';
import { ManualClock } from '../../../lib/shared/clock';

describe('BoundedCache', () => {
	it('serves an entry until its TTL passes, then counts an expiration and a miss', () => {
		const clock = new ManualClock();
		const cache = new BoundedCache({ maxEntries: 10, ttlMs: 1000 }, clock);
		cache.set('k', { answer: 42 });
		clock.advance(999);
		expect(cache.get('k')?.value).toEqual({ answer: 42 });
		clock.advance(1);
		expect(cache.get('k')).toBeUndefined();
		expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, expirations: 1, entries: 0 });
	});

	it('treats a TTL of 0 as "never expires"', () => {
		const clock = new ManualClock();
		const cache = new BoundedCache({ maxEntries: 10, ttlMs: 0 }, clock);
		cache.set('k', 'v');
		clock.advance(365 * 24 * 3_600_000);
		expect(cache.get('k')?.value).toBe('v');
	});

	it('evicts the least recently used entry beyond maxEntries', () => {
		const cache = new BoundedCache({ maxEntries: 2, ttlMs: 0 }, new ManualClock());
		cache.set('a', 1);
		cache.set('b', 2);
		cache.get('a');
		cache.set('c', 3);
		expect(cache.peek('b')).toBeUndefined();
		expect([...cache.entries()].map(([key]) => key)).toEqual(['c', 'a']);
		expect(cache.stats().evictions).toBe(1);
	});

	it('stays under maxBytes and never keeps a value larger than the whole cache', () => {
		const cache = new BoundedCache({ maxEntries: 1000, maxBytes: 10_000, ttlMs: 0 }, new ManualClock());
		for (let index = 0; index < 100; index++) cache.set(`k${index}`, 'x'.repeat(500));
		expect(cache.stats().bytes).toBeLessThanOrEqual(10_000);
		cache.set('huge', 'y'.repeat(20_000));
		expect(cache.peek('huge')).toBeUndefined();
	});

	it('absorbs a copy only when it is newer and still live', () => {
		const clock = new ManualClock();
		const cache = new BoundedCache({ maxEntries: 10, ttlMs: 0 }, clock);
		cache.set('k', 'mine');
		const storedAt = clock.now();
		expect(cache.absorb('k', { value: 'older', storedAt: storedAt - 1, expiresAt: 0, persist: true })).toBe(false);
		expect(cache.absorb('k', { value: 'newer', storedAt: storedAt + 1, expiresAt: 0, persist: true })).toBe(true);
		expect(cache.absorb('gone', { value: 'x', storedAt, expiresAt: clock.now(), persist: true })).toBe(false);
		expect(cache.peek('k')?.value).toBe('newer');
	});

	it('keeps the most recent entries when reconfigured smaller, and refuses unbounded limits', () => {
		const cache = new BoundedCache({ maxEntries: 5, ttlMs: 0 }, new ManualClock());
		for (const key of ['a', 'b', 'c', 'd']) cache.set(key, key);
		cache.reconfigure({ maxEntries: 2, ttlMs: 0 });
		expect([...cache.entries()].map(([key]) => key)).toEqual(['d', 'c']);
		expect(() => cache.reconfigure({ maxEntries: 0, ttlMs: 0 })).toThrow('maxEntries');
		expect(() => new BoundedCache({ maxEntries: 1, ttlMs: -1 }, new ManualClock())).toThrow('ttlMs');
	});
});
