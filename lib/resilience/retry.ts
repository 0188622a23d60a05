import { errorMark, markError } from '../shared/errorMark';
import { MAX_TIMER_MS, raceAbort, type Sleep } from './sleep';

export { sleepWithSignal, type Sleep } from './sleep';

export interface RetryPolicy {
	/** Attempts in all, the first included; an integer from 1 (1 = never retry). @default 3 */
	maxAttempts: number;
	/** The backoff ceiling after the first failure; it doubles with every further failure. @default 500 */
	baseDelayMs: number;
	/** Cap of one computed backoff ceiling. @default 8000 */
	maxDelayMs: number;
	/**
	 * Cap of a wait the server asks for through Retry-After. A longer request is clamped to the cap, not refused:
	 * the retry then happens sooner than asked and may be refused again, which costs one attempt instead of
	 * holding the workflow for as long as the server likes. @default 60000
	 */
	maxRetryAfterMs: number;
}

export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({
	maxAttempts: 3,
	baseDelayMs: 500,
	maxDelayMs: 8000,
	maxRetryAfterMs: 60_000,
});

/** What the caller's classifier says about one failure. */
export interface RetryDecision {
	retry: boolean;
	/** The wait the server asked for (Retry-After), in ms; replaces the computed backoff. */
	retryAfterMs?: number;
}

export interface RetryInfo {
	/** The attempt that just failed, from 1. */
	attempt: number;
	/** The wait before the next attempt. */
	delayMs: number;
	error: unknown;
}

export interface RetryOptions<T> {
	policy: RetryPolicy;
	/** Decides whether a failure is worth another attempt and reads the server's Retry-After, if any. */
	classify: (error: unknown) => RetryDecision;
	sleep: Sleep;
	/** A number in [0, 1) for the jitter. @default Math.random */
	random?: () => number;
	/** Aborting stops at once: no further attempt, no further waiting; the signal's reason is thrown. */
	signal?: AbortSignal;
	/** Called before each wait, e.g. to log or count retries. */
	onRetry?: (info: RetryInfo) => void;
}

export interface RetryResult<T> {
	value: T;
	/** Attempts made, the successful one included. */
	attempts: number;
}

function expectDelay(name: string, value: number): void {
	if (!Number.isFinite(value) || value < 0 || value > MAX_TIMER_MS) {
		throw new TypeError(`Expected \`${name}\` to be a number of ms from 0 to ${MAX_TIMER_MS}, got ${value}`);
	}
}

/** Throws a precise TypeError for the first unusable field; returns a copy that later changes cannot affect. */
export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
	const { maxAttempts, baseDelayMs, maxDelayMs, maxRetryAfterMs } = policy;
	if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
		throw new TypeError(`Expected \`maxAttempts\` to be an integer from 1 and up, got ${maxAttempts}`);
	}
	expectDelay('baseDelayMs', baseDelayMs);
	expectDelay('maxDelayMs', maxDelayMs);
	expectDelay('maxRetryAfterMs', maxRetryAfterMs);
	return { maxAttempts, baseDelayMs, maxDelayMs, maxRetryAfterMs };
}

/**
 * The wait after attempt `failedAttempt` (from 1) failed. The server's Retry-After, when given, is followed
 * exactly up to `maxRetryAfterMs`: it knows its own load better than our guess. Otherwise full jitter, a whole
 * number of ms drawn uniformly below min(maxDelayMs, baseDelayMs × 2^(failedAttempt − 1)), so that callers
 * who failed together do not come back together.
 */
export function retryDelayMs(
	policy: RetryPolicy,
	failedAttempt: number,
	decision: RetryDecision,
	random: () => number,
): number {
	const { retryAfterMs } = decision;
	if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
		return Math.min(retryAfterMs, policy.maxRetryAfterMs);
	}
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
	return Math.floor(random() * ceiling);
}

const ATTEMPTS = 'attempts';

/**
 * Marks an error from `work` with the attempts made, as a non-enumerable `attempts` property (see `markError`).
 */
function markAttempts(error: unknown, attempts: number): unknown {
	return markError(error, ATTEMPTS, attempts);
}

/**
 * The attempts `withRetries` made before it threw `error`, or `undefined` when the error did not come from
 * `work` (an abort reason, a classifier that threw) or could not be marked.
 */
export function attemptsOf(error: unknown): number | undefined {
	const attempts = errorMark(error, ATTEMPTS);
	return typeof attempts === 'number' ? attempts : undefined;
}

/**
 * Runs `work` until it succeeds, the classifier calls a failure final, or `policy.maxAttempts` is used up.
 *
 * Whatever `work` threw last is rethrown as is, marked with the attempts made (read it with `attemptsOf`); this
 * holds both for a final failure and for running out of attempts. An abort is different: the signal's reason is
 * thrown unmarked, because it is shared by everyone listening to that signal. If `work` fails while the signal
 * is aborted, its own error is rethrown (marked) without asking the classifier.
 */
export async function withRetries<T>(
	work: (attempt: number) => Promise<T>,
	options: RetryOptions<T>,
): Promise<RetryResult<T>> {
	const policy = validateRetryPolicy(options.policy);
	const { classify, sleep, signal, onRetry } = options;
	const random = options.random ?? Math.random;
	for (let attempt = 1; ; attempt++) {
		signal?.throwIfAborted();
		try {
			return { value: await work(attempt), attempts: attempt };
		} catch (error) {
			if (attempt >= policy.maxAttempts || signal?.aborted) throw markAttempts(error, attempt);
			const decision = classify(error);
			if (!decision.retry) throw markAttempts(error, attempt);
			const delayMs = retryDelayMs(policy, attempt, decision, random);
			onRetry?.({ attempt, delayMs, error });
			await raceAbort(sleep(delayMs, signal), signal);
		}
	}
}
