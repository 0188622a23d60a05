import type { ErrorClass } from '../metrics';
import { errorClassForHttp, isRetryableHttp } from '../resilience';

export interface ProviderErrorDetails {
	/** HTTP status, when the provider answered. */
	status?: number;
	/** The provider's error code or type, e.g. `insufficient_quota`, `rate_limit_error`. */
	code?: string;
	/** The provider's own message, secrets removed. */
	providerMessage: string;
	retryAfterMs?: number;
	networkError?: boolean;
	timeout?: boolean;
	cancelled?: boolean;
}

/** A failed provider call, with what a retry loop and a metrics event need to know about it. */
export class ProviderError extends Error {
	override name = 'ProviderError';
	readonly status?: number;
	readonly code?: string;
	readonly providerMessage: string;
	readonly retryAfterMs?: number;
	readonly errorClass: ErrorClass;
	readonly retryable: boolean;

	constructor(details: ProviderErrorDetails) {
		const what = details.status !== undefined ? `The AI provider returned HTTP ${details.status}` : 'The AI provider could not be reached';
		super(`${what}: ${details.providerMessage}${details.code ? ` (${details.code})` : ''}`);
		this.status = details.status;
		this.code = details.code;
		this.providerMessage = details.providerMessage;
		this.retryAfterMs = details.retryAfterMs;
		const facts = {
			status: details.status,
			code: details.code,
			networkError: details.networkError,
			timeout: details.timeout,
		};
		this.errorClass = details.cancelled ? 'cancelled' : errorClassForHttp(facts);
		this.retryable = !details.cancelled && isRetryableHttp(facts);
	}
}
