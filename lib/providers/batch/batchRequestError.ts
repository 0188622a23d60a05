import type { ErrorClass } from '../../metrics';
import { errorClassForHttp } from '../../resilience';

/**
 * One request of a provider batch that got no answer: the provider answered it with an error, the batch expired
 * or was cancelled before reaching it, or the batch failed as a whole. The message names the batch and the cause.
 */
export class BatchRequestError extends Error {
	override name = 'BatchRequestError';
	readonly errorClass: ErrorClass;
	/** The HTTP status the provider gave the request, when it ran. */
	readonly status?: number;
	/** The provider's code, e.g. `batch_expired`, `expired`, `canceled`, `invalid_request_error`. */
	readonly code: string;
	readonly providerMessage: string;

	constructor(details: { batchId: string; code: string; providerMessage: string; status?: number; errorClass?: ErrorClass }) {
		super(`The provider batch ${details.batchId} did not answer this request: ${details.providerMessage} (${details.code})`);
		this.code = details.code;
		this.status = details.status;
		this.providerMessage = details.providerMessage;
		this.errorClass = details.errorClass ?? (details.status !== undefined ? errorClassForHttp({ status: details.status, code: details.code }) : 'server');
	}
}

/** A request the batch expired before answering: the provider's window (24 h) ran out. */
export function expiredRequest(batchId: string, code: string): BatchRequestError {
	return new BatchRequestError({ batchId, code, providerMessage: 'the batch expired before the provider processed this request', errorClass: 'timeout' });
}

/** A request the batch was cancelled before answering. */
export function cancelledRequest(batchId: string, code: string): BatchRequestError {
	return new BatchRequestError({ batchId, code, providerMessage: 'the batch was cancelled before the provider processed this request', errorClass: 'cancelled' });
}
