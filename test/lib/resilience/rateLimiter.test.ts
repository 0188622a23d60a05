import { RateLimiter, type RateLimits } from '../../../lib/resilience/rateLimiter';
import { ManualClock } from '../../../lib/shared/clock';
import { seededRandom } from '../../helpers/random';
import { ManualTimers, settle } from './fakeTime';

const MINUTE_MS = 60_000;

function setUp(limits: RateLimits) {
	const clock = new ManualClock();
	const timers = new ManualTimers(clock);
	const limiter = new RateLimiter(limits, clock, timers.sleep);
	return { clock, timers, limiter, start: clock.now() };
}

describe('RateLimiter', () => {
	it('lets a full minute of requests through at once, then spaces the next ones evenly', async () => {
		const { clock, timers, limiter, start } = setUp({ requestsPerMinute: 60 });
		const grantedAt: number[] = [];
		const waits = await Promise.all(
			Array.from({ length: 63 }, () =>
				limiter.acquire(0).then((waitedMs) => {
					grantedAt.push(clock.now() - start);
					return waitedMs;
				}),
			).concat(timers.runAll().then(() => -1)),
		);
		expect(grantedAt.slice(0, 60)).toEqual(new Array(60).fill(0));
		expect(grantedAt.slice(60)).toEqual([1000, 2000, 3000]);
		expect(waits.slice(60, 63)).toEqual([1000, 2000, 3000]);
		expect(limiter.pending).toBe(0);
	});

	it('limits tokens per minute by the weight of each request', async () => {
		const { timers, limiter } = setUp({ tokensPerMinute: 1000 });
		const waits = Promise.all([limiter.acquire(600), limiter.acquire(600), limiter.acquire(100)]);
		await timers.runAll();
		// 400 left after the first; 200 more take 12 s at 1000/min; then 100 more take 6 s.
		await expect(waits).resolves.toEqual([0, 12_000, 18_000]);
	});

	it('applies both limits at once', async () => {
		const { timers, limiter } = setUp({ requestsPerMinute: 2, tokensPerMinute: 1000 });
		const waits = Promise.all([limiter.acquire(10), limiter.acquire(10), limiter.acquire(10)]);
		await timers.runAll();
		await expect(waits).resolves.toEqual([0, 0, 30_000]);
	});

	it('serves waiters first come, first served, even when a later one would fit sooner', async () => {
		const { timers, limiter } = setUp({ tokensPerMinute: 1000 });
		await limiter.acquire(900);
		const order: string[] = [];
		const big = limiter.acquire(500).then((waitedMs) => order.push(`big after ${waitedMs}`));
		const small = limiter.acquire(50).then((waitedMs) => order.push(`small after ${waitedMs}`));
		expect(limiter.pending).toBe(2);
		await timers.runAll();
		await Promise.all([big, small]);
		expect(order).toEqual(['big after 24000', 'small after 27000']);
	});

	it('lets a request larger than the whole bucket through once the bucket is full, in debt afterwards', async () => {
		const { timers, limiter } = setUp({ tokensPerMinute: 1000 });
		await expect(limiter.acquire(5000)).resolves.toBe(0);
		const next = limiter.acquire(1);
		await timers.runAll();
		// 4000 tokens of debt plus the 1 asked for, at 1000 per minute.
		await expect(next).resolves.toBe(240_060);

		const partlySpent = setUp({ tokensPerMinute: 1000 });
		await partlySpent.limiter.acquire(10);
		const oversized = partlySpent.limiter.acquire(5000);
		await partlySpent.timers.runAll();
		await expect(oversized).resolves.toBe(600);
	});

	it('treats 0 and absent limits as unlimited', async () => {
		const { limiter } = setUp({ requestsPerMinute: 0 });
		const waits = await Promise.all(Array.from({ length: 1000 }, () => limiter.acquire(1_000_000)));
		expect(waits.every((waitedMs) => waitedMs === 0)).toBe(true);
	});

	it('reconfigures in place, counting what was already spent against the new limits', async () => {
		const { timers, limiter } = setUp({ requestsPerMinute: 60 });
		for (let index = 0; index < 60; index++) await limiter.acquire(0);
		const waiting = limiter.acquire(0);
		await settle();
		expect(limiter.pending).toBe(1);
		// 60 spent of 120: the waiter goes at once.
		limiter.reconfigure({ requestsPerMinute: 120 });
		await settle();
		expect(limiter.pending).toBe(0);
		await expect(waiting).resolves.toBe(0);
		expect(timers.pendingTimers).toBe(0);

		// 61 spent of 30: 31 in debt, so one more request waits 32 × 2 s.
		limiter.reconfigure({ requestsPerMinute: 30 });
		expect(limiter.currentLimits).toEqual({ requestsPerMinute: 30, tokensPerMinute: 0 });
		const later = limiter.acquire(0);
		await timers.runAll();
		await expect(later).resolves.toBe(64_000);

		expect(() => limiter.reconfigure({ requestsPerMinute: -1 })).toThrow(
			'Expected `requestsPerMinute` to be a number from 0 and up (0 = unlimited), got -1',
		);
		expect(() => limiter.reconfigure({ tokensPerMinute: NaN })).toThrow('tokensPerMinute');
	});

	it('releases every waiter when reconfigured to unlimited', async () => {
		const { limiter } = setUp({ requestsPerMinute: 1 });
		await limiter.acquire(0);
		const waiting = Promise.all([limiter.acquire(0), limiter.acquire(0)]);
		await settle();
		limiter.reconfigure({});
		await expect(waiting).resolves.toEqual([0, 0]);
	});

	it('takes an aborted waiter out of the queue, rejects it and moves the next one up', async () => {
		const { timers, limiter } = setUp({ requestsPerMinute: 60 });
		for (let index = 0; index < 60; index++) await limiter.acquire(0);
		const controller = new AbortController();
		const reason = new Error('execution cancelled');
		const first = limiter.acquire(0, controller.signal);
		const second = limiter.acquire(0);
		await timers.advance(500);
		controller.abort(reason);
		await expect(first).rejects.toBe(reason);
		expect(limiter.pending).toBe(1);
		await timers.runAll();
		// Would have been 2000 behind the aborted one.
		await expect(second).resolves.toBe(1000);
	});

	it('refuses an aborted signal and a bad token count without queueing', async () => {
		const { limiter } = setUp({ requestsPerMinute: 1 });
		const controller = new AbortController();
		controller.abort();
		await expect(limiter.acquire(0, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
		await expect(limiter.acquire(-1)).rejects.toThrow('Expected `tokens` to be a number from 0 and up, got -1');
		expect(limiter.pending).toBe(0);
		expect(() => new RateLimiter({ requestsPerMinute: Infinity }, new ManualClock(), async () => undefined)).toThrow(
			'requestsPerMinute',
		);
	});

	it('fails its waiters instead of spinning when the sleep it was given breaks', async () => {
		const broken = new Error('no timers here');
		const limiter = new RateLimiter({ requestsPerMinute: 1 }, new ManualClock(), () => Promise.reject(broken));
		await limiter.acquire(0);
		await expect(limiter.acquire(0)).rejects.toBe(broken);
		expect(limiter.pending).toBe(0);
	});

	it('never overspends under concurrent callers: any minute sees at most the limit plus the bucket', async () => {
		const limits = { requestsPerMinute: 30, tokensPerMinute: 3000 };
		const { clock, timers, limiter, start } = setUp(limits);
		const random = seededRandom(11);
		const grants: { at: number; tokens: number }[] = [];
		const worker = async () => {
			for (let call = 0; call < 10; call++) {
				const tokens = Math.floor(random() * 400);
				await limiter.acquire(tokens);
				grants.push({ at: clock.now() - start, tokens });
			}
		};
		const done = Promise.all(Array.from({ length: 20 }, worker));
		await timers.runAll();
		await done;
		expect(grants).toHaveLength(200);
		for (const { at } of grants) {
			const window = grants.filter((grant) => grant.at >= at && grant.at < at + MINUTE_MS);
			expect(window.length).toBeLessThanOrEqual(2 * limits.requestsPerMinute);
			expect(window.reduce((sum, grant) => sum + grant.tokens, 0)).toBeLessThanOrEqual(2 * limits.tokensPerMinute);
		}
		// Nor does it hold back much more than the tighter limit demands once the full buckets are spent.
		const totalTokens = grants.reduce((sum, grant) => sum + grant.tokens, 0);
		const leastMs = Math.max(
			((grants.length - limits.requestsPerMinute) / limits.requestsPerMinute) * MINUTE_MS,
			((totalTokens - limits.tokensPerMinute) / limits.tokensPerMinute) * MINUTE_MS,
		);
		const lastAt = grants[grants.length - 1].at;
		expect(lastAt).toBeGreaterThanOrEqual(Math.floor(leastMs));
		expect(lastAt).toBeLessThanOrEqual(leastMs + MINUTE_MS);
	});
});
