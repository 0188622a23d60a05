import type { Clock } from '../shared/clock';
import { MAX_TIMER_MS, raceAbort, type Sleep } from './sleep';

export interface RateLimits {
	/** Requests per minute; `0` or absent = unlimited. */
	requestsPerMinute?: number;
	/** Tokens per minute (prompt + expected answer, as the caller counts them); `0` or absent = unlimited. */
	tokensPerMinute?: number;
}

const MINUTE_MS = 60_000;
// Slack when comparing a refilled level with a need, so rounding never costs an extra 1 ms wait.
const EPSILON = 1e-9;

/**
 * What callers of a rate limiter use: wait for one request's turn. The in-process {@link RateLimiter} and the
 * Redis-backed limiter shared by several processes both provide it.
 */
export interface TokenLimiter {
	/**
	 * Resolves with the ms waited once one request and `tokens` tokens may go. Aborting stops the wait and rejects
	 * with the signal's reason.
	 */
	acquire(tokens: number, signal?: AbortSignal): Promise<number>;
}

/** Checks limits and fills in "unlimited" (0); throws `TypeError` naming the bad field. */
export function validateRateLimits(limits: RateLimits): Required<RateLimits> {
	const requestsPerMinute = limits.requestsPerMinute ?? 0;
	const tokensPerMinute = limits.tokensPerMinute ?? 0;
	if (!Number.isFinite(requestsPerMinute) || requestsPerMinute < 0) {
		throw new TypeError(
			`Expected \`requestsPerMinute\` to be a number from 0 and up (0 = unlimited), got ${requestsPerMinute}`,
		);
	}
	if (!Number.isFinite(tokensPerMinute) || tokensPerMinute < 0) {
		throw new TypeError(`Expected \`tokensPerMinute\` to be a number from 0 and up (0 = unlimited), got ${tokensPerMinute}`);
	}
	return { requestsPerMinute, tokensPerMinute };
}

/**
 * One per-minute budget: holds up to `perMinute` and refills by `perMinute` over a minute. The level goes below
 * 0 after a request larger than the whole bucket; refill pays that debt before anyone else is served, so the
 * long-run rate still holds.
 */
class Bucket {
	constructor(
		readonly perMinute: number,
		public level: number,
	) {}

	refill(elapsedMs: number): void {
		// Multiply before dividing: whole-number limits then refill to whole numbers exactly.
		this.level = Math.min(this.perMinute, this.level + (elapsedMs * this.perMinute) / MINUTE_MS);
	}

	/** A need above the capacity is asked of a full bucket only, so it waits its turn but never forever. */
	msUntilAvailable(amount: number): number {
		const deficit = Math.min(amount, this.perMinute) - this.level;
		return deficit <= EPSILON ? 0 : Math.ceil((deficit * MINUTE_MS) / this.perMinute);
	}
}

/** A new budget starts full; a changed one keeps what was spent of it, as the provider still counts that. */
function rebucket(current: Bucket | undefined, perMinute: number): Bucket | undefined {
	if (perMinute === 0) return undefined;
	if (current === undefined) return new Bucket(perMinute, perMinute);
	return new Bucket(perMinute, perMinute - (current.perMinute - current.level));
}

interface Waiter {
	tokens: number;
	enqueuedAt: number;
	resolve: (waitedMs: number) => void;
	reject: (reason: unknown) => void;
	signal?: AbortSignal;
	onAbort?: () => void;
}

/**
 * Token buckets for requests and tokens per minute, shared by concurrent callers of one provider account. Both
 * start full and refill continuously. Callers are served strictly first come, first served: a large request at
 * the head holds back smaller ones behind it rather than starving. A request for more tokens than a minute's
 * budget is let through once the bucket is full (it could never fit otherwise) and leaves the bucket in debt.
 */
export class RateLimiter implements TokenLimiter {
	private limits: Required<RateLimits>;
	private requestBucket: Bucket | undefined;
	private tokenBucket: Bucket | undefined;
	private refilledAt: number;
	private readonly queue: Waiter[] = [];
	private draining = false;
	/** Ends the head's wait early when something changed what it waits for (abort, reconfigure). */
	private wake: AbortController | undefined;

	constructor(
		limits: RateLimits,
		private readonly clock: Clock,
		private readonly sleep: Sleep,
	) {
		this.limits = validateRateLimits(limits);
		this.requestBucket = rebucket(undefined, this.limits.requestsPerMinute);
		this.tokenBucket = rebucket(undefined, this.limits.tokensPerMinute);
		this.refilledAt = clock.now();
	}

	get currentLimits(): Readonly<Required<RateLimits>> {
		return this.limits;
	}

	/** Callers waiting for their turn. */
	get pending(): number {
		return this.queue.length;
	}

	/** Changes the limits in place; what was spent in the current minute still counts against the new ones. */
	reconfigure(limits: RateLimits): void {
		const next = validateRateLimits(limits);
		if (
			next.requestsPerMinute === this.limits.requestsPerMinute &&
			next.tokensPerMinute === this.limits.tokensPerMinute
		) {
			return;
		}
		this.refill();
		this.requestBucket = rebucket(this.requestBucket, next.requestsPerMinute);
		this.tokenBucket = rebucket(this.tokenBucket, next.tokensPerMinute);
		this.limits = next;
		this.wake?.abort();
	}

	/**
	 * Resolves with the ms waited once one request and `tokens` tokens are available and every earlier caller
	 * has been served. Aborting takes the caller out of the queue and rejects with the signal's reason.
	 */
	acquire(tokens: number, signal?: AbortSignal): Promise<number> {
		if (!Number.isFinite(tokens) || tokens < 0) {
			return Promise.reject(new TypeError(`Expected \`tokens\` to be a number from 0 and up, got ${tokens}`));
		}
		if (signal?.aborted) return Promise.reject(signal.reason);
		if (this.queue.length === 0 && this.msUntilAvailable(tokens) === 0) {
			this.take(tokens);
			return Promise.resolve(0);
		}
		return new Promise<number>((resolve, reject) => {
			const waiter: Waiter = { tokens, enqueuedAt: this.clock.now(), resolve, reject, signal };
			if (signal !== undefined) {
				waiter.onAbort = () => this.cancel(waiter);
				signal.addEventListener('abort', waiter.onAbort, { once: true });
			}
			this.queue.push(waiter);
			void this.drain();
		});
	}

	private async drain(): Promise<void> {
		if (this.draining) return;
		this.draining = true;
		try {
			while (this.queue.length > 0) {
				const head = this.queue[0];
				const waitMs = this.msUntilAvailable(head.tokens);
				if (waitMs === 0) {
					this.grant(head);
					continue;
				}
				const wake = new AbortController();
				this.wake = wake;
				try {
					// A wait beyond what a timer can hold (a tiny limit deep in debt) is taken in parts.
					await raceAbort(this.sleep(Math.min(waitMs, MAX_TIMER_MS), wake.signal), wake.signal);
				} catch (error) {
					// Woken on purpose: look again. A sleep that fails by itself would make this loop spin instead.
					if (!wake.signal.aborted) this.failAll(error);
				} finally {
					this.wake = undefined;
				}
			}
		} finally {
			this.draining = false;
		}
	}

	private refill(): void {
		const now = this.clock.now();
		const elapsedMs = now - this.refilledAt;
		// A clock that stepped back refills nothing, and refilling resumes from the new "now".
		if (elapsedMs > 0) {
			this.requestBucket?.refill(elapsedMs);
			this.tokenBucket?.refill(elapsedMs);
		}
		this.refilledAt = now;
	}

	private msUntilAvailable(tokens: number): number {
		this.refill();
		return Math.max(this.requestBucket?.msUntilAvailable(1) ?? 0, this.tokenBucket?.msUntilAvailable(tokens) ?? 0);
	}

	private take(tokens: number): void {
		if (this.requestBucket !== undefined) this.requestBucket.level -= 1;
		if (this.tokenBucket !== undefined) this.tokenBucket.level -= tokens;
	}

	private grant(waiter: Waiter): void {
		this.take(waiter.tokens);
		this.queue.shift();
		this.forget(waiter);
		waiter.resolve(Math.max(0, this.clock.now() - waiter.enqueuedAt));
	}

	private cancel(waiter: Waiter): void {
		const index = this.queue.indexOf(waiter);
		if (index === -1) return;
		this.queue.splice(index, 1);
		this.forget(waiter);
		waiter.reject(waiter.signal?.reason);
		// The head's wait was computed for its own need; the next caller may need less.
		if (index === 0) this.wake?.abort();
	}

	private failAll(error: unknown): void {
		for (const waiter of this.queue.splice(0)) {
			this.forget(waiter);
			waiter.reject(error);
		}
	}

	private forget(waiter: Waiter): void {
		if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort);
	}
}
