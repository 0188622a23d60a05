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

	it('evicts the least recently used entry beyond maxEntries, lists served entries first', () => {
		const cache = new BoundedCache({ maxEntries: 2, ttlMs: 0 }, new ManualClock());
		cache.set('a', 1);
		cache.set('b', 2);
		cache.get('a');
		cache.set('c', 3);
		expect(cache.peek('b')).toBeUndefined();
		expect([...cache.entries()].map(([key]) => key)).toEqual(['a', 'c']);
		expect(cache.stats()).toMatchObject({ evictions: 1, entries: 2 });
	});

	it('keeps served answers through a burst of one-off prompts many times its size', () => {
		const cache = new BoundedCache({ maxEntries: 100, ttlMs: 0 }, new ManualClock());
		const hot = Array.from({ length: 50 }, (_, index) => `hot ${index}`);
		for (const key of hot) cache.set(key, key);
		for (const key of hot) expect(cache.get(key)).toBeDefined();
		for (let index = 0; index < 2_000; index++) cache.set(`once ${index}`, index);
		expect(hot.filter((key) => cache.peek(key) !== undefined)).toHaveLength(50);
		// The newest one-off answers still get their chance: probation holds the most recent of them.
		expect(cache.peek('once 1999')).toBeDefined();
		expect(cache.stats()).toMatchObject({ entries: 100, evictions: 1_950 });
	});

	it('lets a protected answer that goes unused fall back to probation, and out when newer answers are served', () => {
		const cache = new BoundedCache({ maxEntries: 10, ttlMs: 0 }, new ManualClock());
		cache.set('old favourite', 0);
		cache.get('old favourite');
		// Eight newly served answers fill the protected segment (80%): the unused favourite moves back to probation.
		for (let index = 0; index < 8; index++) {
			cache.set(`new ${index}`, index);
			cache.get(`new ${index}`);
		}
		expect(cache.peek('old favourite')).toBeDefined();
		for (let index = 0; index < 5; index++) cache.set(`once ${index}`, index);
		expect(cache.peek('old favourite')).toBeUndefined();
		expect(cache.stats().entries).toBe(10);
	});

	it('stays within maxEntries and maxBytes under any mix of sets and hits', () => {
		const cache = new BoundedCache({ maxEntries: 7, maxBytes: 2_000, ttlMs: 0 }, new ManualClock());
		let seed = 7;
		const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		for (let step = 0; step < 5_000; step++) {
			const key = `k${Math.floor(random() * 20)}`;
			if (random() < 0.5) cache.set(key, 'x'.repeat(Math.floor(random() * 600)));
			else cache.get(key);
			const { entries, bytes } = cache.stats();
			expect(entries).toBeLessThanOrEqual(7);
			expect(bytes).toBeLessThanOrEqual(2_000);
			expect([...cache.entries()]).toHaveLength(entries);
		}
	});

	it('keeps a one-entry cache working: the newest answer is served', () => {
		const cache = new BoundedCache({ maxEntries: 1, ttlMs: 0 }, new ManualClock());
		cache.set('a', 1);
		cache.get('a');
		cache.set('b', 2);
		expect(cache.get('b')?.value).toBe(2);
		expect(cache.peek('a')).toBeUndefined();
		cache.set('c', 3);
		expect(cache.peek('c')?.value).toBe(3);
		expect(cache.stats().entries).toBe(1);
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
