import { classifyHttpFailure, type HttpFailure } from '../../../lib/resilience/classifyHttpError';
import {
	attemptsOf,
	defaultRetryPolicy,
	retryDelayMs,
	withRetries,
	type RetryDecision,
	type RetryInfo,
	type RetryPolicy,
} from '../../../lib/resilience/retry';
import { sleepWithSignal } from '../../../lib/resilience/sleep';
import { ManualClock } from '../../../lib/shared/clock';
import { seededRandom } from '../../helpers/random';
import { advancingSleep } from './fakeTime';

class FakeHttpError extends Error {
	constructor(readonly failure: HttpFailure) {
		super(`HTTP ${failure.status ?? 'failure'}`);
	}
}

function setUp(policy: Partial<RetryPolicy> = {}) {
	const clock = new ManualClock();
	const { sleep, delays } = advancingSleep(clock);
	const retries: RetryInfo[] = [];
	const options = {
		policy: { ...defaultRetryPolicy, ...policy },
		classify: (error: unknown): RetryDecision =>
			error instanceof FakeHttpError ? classifyHttpFailure(error.failure, clock.now()) : { retry: false },
		sleep,
		random: seededRandom(7),
		onRetry: (info: RetryInfo) => retries.push(info),
	};
	return { clock, delays, retries, options };
}

/** Work that fails with the given failures in turn, then answers 'ok'. */
function failingThen(...failures: HttpFailure[]) {
	const calls: number[] = [];
	const work = async (attempt: number) => {
		calls.push(attempt);
		const failure = failures[attempt - 1];
		if (failure !== undefined) throw new FakeHttpError(failure);
		return 'ok';
	};
	return { work, calls };
}

describe('withRetries', () => {
	it('returns the value and the attempts it took', async () => {
		const { options, delays } = setUp();
		const { work, calls } = failingThen({ status: 503 }, { status: 502 });
		await expect(withRetries(work, options)).resolves.toEqual({ value: 'ok', attempts: 3 });
		expect(calls).toEqual([1, 2, 3]);
		expect(delays).toHaveLength(2);
	});

	it('waits with full jitter: a seeded draw below a doubling ceiling capped at maxDelayMs', async () => {
		const { options, delays, retries } = setUp({ maxAttempts: 7, baseDelayMs: 500, maxDelayMs: 8000 });
		const { work } = failingThen(...Array.from({ length: 7 }, () => ({ status: 500 })));
		await expect(withRetries(work, options)).rejects.toBeInstanceOf(FakeHttpError);
		const ceilings = [500, 1000, 2000, 4000, 8000, 8000];
		const sameDraws = seededRandom(7);
		expect(delays).toEqual(ceilings.map((ceiling) => Math.floor(sameDraws() * ceiling)));
		delays.forEach((delay, index) => {
			expect(delay).toBeGreaterThanOrEqual(0);
			expect(delay).toBeLessThan(ceilings[index]);
		});
		expect(retries.map((info) => [info.attempt, info.delayMs])).toEqual(delays.map((delay, index) => [index + 1, delay]));
	});

	it('spreads jittered delays over the whole range below the ceiling', () => {
		const random = seededRandom(42);
		const draws = Array.from({ length: 2000 }, () => retryDelayMs(defaultRetryPolicy, 3, { retry: true }, random));
		expect(Math.min(...draws)).toBeLessThan(100);
		expect(Math.max(...draws)).toBeGreaterThan(1900);
		expect(Math.max(...draws)).toBeLessThan(2000);
		const mean = draws.reduce((sum, draw) => sum + draw, 0) / draws.length;
		expect(mean).toBeGreaterThan(900);
		expect(mean).toBeLessThan(1100);
		expect(retryDelayMs(defaultRetryPolicy, 60, { retry: true }, () => 0.999_999)).toBe(7999);
	});

	it('waits exactly as long as Retry-After says instead of the backoff', async () => {
		const { options, delays } = setUp();
		const { work } = failingThen({ status: 429, headers: { 'retry-after': '1.5' } }, { status: 503, headers: { 'retry-after-ms': '20' } });
		await expect(withRetries(work, options)).resolves.toEqual({ value: 'ok', attempts: 3 });
		expect(delays).toEqual([1500, 20]);
	});

	it('clamps a Retry-After above maxRetryAfterMs (60 s by default) to the cap', async () => {
		const { options, delays } = setUp();
		const { work } = failingThen({ status: 429, headers: { 'retry-after': '3600' } });
		await expect(withRetries(work, options)).resolves.toEqual({ value: 'ok', attempts: 2 });
		expect(delays).toEqual([60_000]);
		const tighter = setUp({ maxRetryAfterMs: 5000 });
		await withRetries(failingThen({ status: 429, headers: { 'retry-after': '30' } }).work, tighter.options);
		expect(tighter.delays).toEqual([5000]);
	});

	it.each([400, 401, 403, 404, 422])('does not retry HTTP %i', async (status) => {
		const { options, delays } = setUp();
		const { work, calls } = failingThen({ status });
		const error = await withRetries(work, options).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(FakeHttpError);
		expect(calls).toEqual([1]);
		expect(delays).toEqual([]);
		expect(attemptsOf(error)).toBe(1);
	});

	it('does not retry a 429 that says the quota is used up', async () => {
		const { options, delays } = setUp();
		const { work, calls } = failingThen({ status: 429, code: 'insufficient_quota', headers: { 'retry-after': '1' } });
		await expect(withRetries(work, options)).rejects.toBeInstanceOf(FakeHttpError);
		expect(calls).toEqual([1]);
		expect(delays).toEqual([]);
	});

	it.each<[string, HttpFailure]>([
		['429', { status: 429 }],
		['500', { status: 500 }],
		['502', { status: 502 }],
		['503', { status: 503 }],
		['504', { status: 504 }],
		['529', { status: 529 }],
		['a network error', { networkError: true }],
		['a timeout', { timeout: true }],
	])('retries %s', async (_name, failure) => {
		const { options } = setUp();
		await expect(withRetries(failingThen(failure).work, options)).resolves.toEqual({ value: 'ok', attempts: 2 });
	});

	it('rethrows the last error itself once attempts run out, marked with the attempts made', async () => {
		const { options } = setUp({ maxAttempts: 4 });
		const thrown: unknown[] = [];
		const work = async () => {
			const error = new FakeHttpError({ status: 503 });
			thrown.push(error);
			throw error;
		};
		const error = await withRetries(work, options).catch((caught: unknown) => caught);
		expect(error).toBe(thrown[3]);
		expect(attemptsOf(error)).toBe(4);
		expect(Object.keys(error as object)).not.toContain('attempts');
	});

	it('marks a final error that follows retries with all the attempts made', async () => {
		const { options } = setUp();
		const error = await withRetries(failingThen({ status: 500 }, { status: 400 }).work, options).catch((caught: unknown) => caught);
		expect((error as FakeHttpError).failure.status).toBe(400);
		expect(attemptsOf(error)).toBe(2);
	});

	it('rethrows a thrown primitive unmarked', async () => {
		const { options } = setUp();
		const error = await withRetries(() => Promise.reject('plain string'), options).catch((caught: unknown) => caught);
		expect(error).toBe('plain string');
		expect(attemptsOf(error)).toBeUndefined();
	});

	it('never retries with maxAttempts 1', async () => {
		const { options } = setUp({ maxAttempts: 1 });
		const { work, calls } = failingThen({ status: 503 });
		await expect(withRetries(work, options)).rejects.toBeInstanceOf(FakeHttpError);
		expect(calls).toEqual([1]);
	});

	it('refuses an unusable policy before the first attempt', async () => {
		const { options } = setUp();
		const work = jest.fn(async () => 'ok');
		await expect(withRetries(work, { ...options, policy: { ...defaultRetryPolicy, maxAttempts: 0 } })).rejects.toThrow(
			'Expected `maxAttempts` to be an integer from 1 and up, got 0',
		);
		await expect(withRetries(work, { ...options, policy: { ...defaultRetryPolicy, maxAttempts: 2.5 } })).rejects.toThrow('maxAttempts');
		await expect(withRetries(work, { ...options, policy: { ...defaultRetryPolicy, baseDelayMs: -1 } })).rejects.toThrow('baseDelayMs');
		await expect(withRetries(work, { ...options, policy: { ...defaultRetryPolicy, maxDelayMs: Infinity } })).rejects.toThrow('maxDelayMs');
		await expect(withRetries(work, { ...options, policy: { ...defaultRetryPolicy, maxRetryAfterMs: NaN } })).rejects.toThrow(
			'maxRetryAfterMs',
		);
		expect(work).not.toHaveBeenCalled();
	});

	it('makes no attempt once the signal is aborted, and throws its reason', async () => {
		const { options } = setUp();
		const controller = new AbortController();
		const reason = new Error('stopped by the workflow');
		controller.abort(reason);
		const work = jest.fn(async () => 'ok');
		await expect(withRetries(work, { ...options, signal: controller.signal })).rejects.toBe(reason);
		expect(work).not.toHaveBeenCalled();
	});

	it('makes no further attempt when the signal aborts between attempts', async () => {
		const { options } = setUp();
		const controller = new AbortController();
		const { work, calls } = failingThen({ status: 503 }, { status: 503 });
		const onRetry = () => controller.abort();
		const error = await withRetries(work, { ...options, onRetry, signal: controller.signal }).catch((caught: unknown) => caught);
		expect((error as Error).name).toBe('AbortError');
		expect(calls).toEqual([1]);
	});

	it('stops waiting at once on abort even when the sleep it was given cannot be cancelled', async () => {
		const { options } = setUp();
		const controller = new AbortController();
		const neverEndingSleep = () => new Promise<void>(() => undefined);
		const result = withRetries(failingThen({ status: 503 }).work, { ...options, sleep: neverEndingSleep, signal: controller.signal });
		setTimeout(() => controller.abort(), 10);
		await expect(result).rejects.toMatchObject({ name: 'AbortError' });
	});

	it('rejects promptly when aborted during a real sleepWithSignal', async () => {
		const { options } = setUp({ baseDelayMs: 10_000, maxDelayMs: 10_000 });
		const controller = new AbortController();
		const clearTimeoutSpy = jest.spyOn(global, 'clearTimeout');
		const started = Date.now();
		const result = withRetries(failingThen({ status: 503 }).work, {
			...options,
			random: () => 0.5,
			sleep: sleepWithSignal,
			signal: controller.signal,
		});
		setTimeout(() => controller.abort(), 10);
		await expect(result).rejects.toMatchObject({ name: 'AbortError' });
		expect(Date.now() - started).toBeLessThan(1000);
		expect(clearTimeoutSpy).toHaveBeenCalled();
		clearTimeoutSpy.mockRestore();
	});
});

describe('sleepWithSignal', () => {
	it('resolves after a short real wait', async () => {
		const started = Date.now();
		await sleepWithSignal(10);
		expect(Date.now() - started).toBeGreaterThanOrEqual(9);
	});

	it('rejects at once for an aborted signal and for a delay no timer can keep', async () => {
		const controller = new AbortController();
		controller.abort(new Error('gone'));
		await expect(sleepWithSignal(10, controller.signal)).rejects.toThrow('gone');
		await expect(sleepWithSignal(-1)).rejects.toThrow('Expected `ms` to be a number from 0 to 2147483647, got -1');
		await expect(sleepWithSignal(3_000_000_000)).rejects.toThrow('`ms`');
	});
});
