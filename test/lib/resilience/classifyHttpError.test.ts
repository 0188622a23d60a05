import { classifyHttpFailure, errorClassForHttp, isRetryableHttp } from '../../../lib/resilience/classifyHttpError';

const NOW = Date.UTC(2026, 0, 1);

describe('isRetryableHttp', () => {
	it.each([408, 425, 429, 500, 502, 503, 504, 529])('retries HTTP %i', (status) => {
		expect(isRetryableHttp({ status })).toBe(true);
	});

	it.each([400, 401, 403, 404, 409, 413, 422, 501, 505])('never retries HTTP %i', (status) => {
		expect(isRetryableHttp({ status })).toBe(false);
	});

	it('retries network errors and timeouts, but not a 429 for a used-up quota nor a cancellation', () => {
		expect(isRetryableHttp({ networkError: true })).toBe(true);
		expect(isRetryableHttp({ timeout: true })).toBe(true);
		expect(isRetryableHttp({ status: 429, code: 'rate_limit_exceeded' })).toBe(true);
		expect(isRetryableHttp({ status: 429, code: 'insufficient_quota' })).toBe(false);
		expect(isRetryableHttp({ status: 429, code: 'INSUFFICIENT_QUOTA' })).toBe(false);
		expect(isRetryableHttp({ timeout: true, cancelled: true })).toBe(false);
		expect(isRetryableHttp({})).toBe(false);
	});

	it('lets a response status outrank the network and timeout flags, and ignores a status that is none', () => {
		expect(isRetryableHttp({ status: 400, networkError: true })).toBe(false);
		expect(isRetryableHttp({ status: 0, networkError: true })).toBe(true);
	});
});

describe('errorClassForHttp', () => {
	it.each([
		[{ status: 401 }, 'auth'],
		[{ status: 403 }, 'auth'],
		[{ status: 429 }, 'rate_limit'],
		[{ status: 429, code: 'insufficient_quota' }, 'client'],
		[{ status: 408 }, 'timeout'],
		[{ timeout: true }, 'timeout'],
		[{ status: 500 }, 'server'],
		[{ status: 503 }, 'server'],
		[{ status: 529 }, 'server'],
		[{ status: 400 }, 'client'],
		[{ status: 404 }, 'client'],
		[{ status: 422 }, 'client'],
		[{ networkError: true }, 'network'],
		[{ cancelled: true, status: 500 }, 'cancelled'],
		[{}, 'other'],
		[{ status: 302 }, 'other'],
	] as const)('maps %j to %s', (failure, errorClass) => {
		expect(errorClassForHttp(failure)).toBe(errorClass);
	});
});

describe('classifyHttpFailure', () => {
	it('passes on the Retry-After of a retryable response only', () => {
		expect(classifyHttpFailure({ status: 429, headers: { 'retry-after': '2' } }, NOW)).toEqual({ retry: true, retryAfterMs: 2000 });
		expect(classifyHttpFailure({ status: 503 }, NOW)).toEqual({ retry: true });
		expect(classifyHttpFailure({ status: 400, headers: { 'retry-after': '2' } }, NOW)).toEqual({ retry: false });
	});
});
