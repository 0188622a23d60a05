import type { ErrorClass } from '../metrics';
import type { RetryDecision } from './retry';
import { parseRetryAfterMs, type HeaderSource } from './retryAfter';

/** What is known about a failed HTTP call, whatever client made it. */
export interface HttpFailure {
	/** The response status, when a response arrived. */
	status?: number;
	/** The provider's error code, e.g. `insufficient_quota`, `rate_limit_exceeded`. */
	code?: string;
	/** No response: connection refused or reset, DNS failure, TLS error. */
	networkError?: boolean;
	/** No response in time. */
	timeout?: boolean;
	/** Stopped on purpose by the caller (an aborted execution); never retried. */
	cancelled?: boolean;
	headers?: HeaderSource;
}

// 408 timeout, 425 too early, 429 rate limit, 500/502/503/504 server side, 529 overloaded (Anthropic).
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504, 529]);

// Sent with a 429 when the account is out of credit: waiting does not help, paying does.
const FINAL_RATE_LIMIT_CODES: ReadonlySet<string> = new Set(['insufficient_quota']);

/** A status that can be read as one; clients use 0 or nothing when no response arrived. */
function responseStatus(failure: HttpFailure): number | undefined {
	const { status } = failure;
	return status !== undefined && Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

/**
 * Whether another attempt could succeed. A response's status decides when there is one: retried are 408, 425,
 * 429 (unless the code says the quota is used up), 500, 502, 503, 504 and 529; every other status is final.
 * Without a response, timeouts and network errors are retried. Cancellation never is.
 */
export function isRetryableHttp(failure: HttpFailure): boolean {
	if (failure.cancelled) return false;
	const status = responseStatus(failure);
	if (status === undefined) return failure.timeout === true || failure.networkError === true;
	if (!RETRYABLE_STATUSES.has(status)) return false;
	return !(status === 429 && FINAL_RATE_LIMIT_CODES.has(failure.code?.toLowerCase() ?? ''));
}

/** The metrics error class of a failed HTTP call; a response's status outranks the timeout and network flags. */
export function errorClassForHttp(failure: HttpFailure): ErrorClass {
	if (failure.cancelled) return 'cancelled';
	const status = responseStatus(failure);
	if (status === undefined) {
		if (failure.timeout) return 'timeout';
		return failure.networkError ? 'network' : 'other';
	}
	if (status === 401 || status === 403) return 'auth';
	// An exhausted quota is a billing matter, not load: "lower concurrency" would be the wrong advice for it.
	if (status === 429) return FINAL_RATE_LIMIT_CODES.has(failure.code?.toLowerCase() ?? '') ? 'client' : 'rate_limit';
	if (status === 408) return 'timeout';
	if (status >= 500) return 'server';
	return status >= 400 ? 'client' : 'other';
}

/**
 * A `classify` for `withRetries` once the caller has turned its error into an `HttpFailure`: retryable as
 * `isRetryableHttp` says, waiting as the response's Retry-After headers say (relative to `now`).
 */
export function classifyHttpFailure(failure: HttpFailure, now: number): RetryDecision {
	if (!isRetryableHttp(failure)) return { retry: false };
	const retryAfterMs = parseRetryAfterMs(failure.headers, now);
	return retryAfterMs === undefined ? { retry: true } : { retry: true, retryAfterMs };
}
