export {
	classifyHttpFailure,
	errorClassForHttp,
	isRetryableHttp,
	type HttpFailure,
} from './classifyHttpError';
export { RateLimiter, validateRateLimits, type RateLimits, type TokenLimiter } from './rateLimiter';
export {
	attemptsOf,
	defaultRetryPolicy,
	retryDelayMs,
	validateRetryPolicy,
	withRetries,
	type RetryDecision,
	type RetryInfo,
	type RetryOptions,
	type RetryPolicy,
	type RetryResult,
} from './retry';
export { parseRetryAfterMs, type HeaderGetter, type HeaderSource } from './retryAfter';
export { MAX_TIMER_MS, raceAbort, sleepWithSignal, type Sleep } from './sleep';
