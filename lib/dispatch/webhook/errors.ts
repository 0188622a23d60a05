import type { ErrorClass } from '../../metrics';
import { errorClassForHttp, type HeaderSource, type HttpFailure } from '../../resilience';
import type { EndpointHealthReport } from './endpointHealth';

/** What the retry loop and a metrics event need to know about a failed webhook request. */
export interface WebhookFailure {
	readonly endpoint: string;
	readonly failure: HttpFailure;
	readonly errorClass: ErrorClass;
}

/** No usable answer from an endpoint: connection refused or reset, DNS or TLS failure, timeout, cancellation. */
export class EndpointRequestError extends Error implements WebhookFailure {
	override name = 'EndpointRequestError';
	readonly failure: HttpFailure;
	readonly errorClass: ErrorClass;

	constructor(
		/** The endpoint's URL without credentials. */
		readonly endpoint: string,
		/** What went wrong, secrets removed: `connect ECONNREFUSED 127.0.0.1:5678`, `no answer within 30000 ms`. */
		readonly detail: string,
		failure: Pick<HttpFailure, 'networkError' | 'timeout' | 'cancelled'>,
		/** The client's error code, e.g. `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`. */
		readonly code?: string,
	) {
		super(`Webhook ${endpoint} could not be reached: ${detail}`);
		this.failure = { ...failure };
		this.errorClass = errorClassForHttp(this.failure);
	}
}

/** An answer that cannot be used: a status other than 2xx, or a 2xx whose body is not JSON. */
export class WebhookResponseError extends Error implements WebhookFailure {
	override name = 'WebhookResponseError';
	readonly failure: HttpFailure;
	readonly errorClass: ErrorClass;

	constructor(
		readonly endpoint: string,
		readonly status: number,
		/** The start of the response body, secrets removed. */
		readonly bodyExcerpt: string,
		headers: HeaderSource,
		problem = `answered HTTP ${status}`,
	) {
		super(`Webhook ${endpoint} ${problem}${bodyExcerpt === '' ? '' : `: ${bodyExcerpt}`}`);
		this.failure = { status, headers };
		this.errorClass = errorClassForHttp(this.failure);
	}
}

/** Reads the failure facts off an error from this module, or `undefined` for any other error. */
export function webhookFailureOf(error: unknown): WebhookFailure | undefined {
	return error instanceof EndpointRequestError || error instanceof WebhookResponseError ? error : undefined;
}

function describeEndpoint(report: EndpointHealthReport): string {
	const parts: string[] = [report.state];
	if (report.trialInFlight) parts.push('trial in flight');
	if (report.consecutiveFailures > 0) parts.push(`${report.consecutiveFailures} consecutive failures`);
	if (report.lastStatus !== undefined) parts.push(`last status ${report.lastStatus}`);
	if (report.lastError !== undefined) parts.push(`last error: ${report.lastError}`);
	return `${report.endpoint} (${parts.join(', ')})`;
}

/**
 * A batch could not be delivered because no endpoint could take it: every one was ejected, or every attempt
 * failed with an error worth retrying. The message lists each endpoint with its health state and its last
 * status or error; URLs never carry credentials.
 */
export class AllEndpointsDownError extends Error {
	override name = 'AllEndpointsDownError';
	readonly errorClass: ErrorClass;
	/** The status of the last answer, when the last attempt got one. */
	readonly httpCode?: number;

	constructor(
		readonly batchId: string,
		/** Requests sent for this batch. */
		readonly attempts: number,
		readonly endpoints: readonly EndpointHealthReport[],
		lastFailure?: WebhookFailure,
	) {
		const what = attempts === 0 ? 'no endpoint could take it' : `${attempts} attempt${attempts === 1 ? '' : 's'} failed`;
		super(`All webhook endpoints are down for batch ${batchId}, ${what}: ${endpoints.map(describeEndpoint).join('; ')}`, {
			cause: lastFailure,
		});
		this.errorClass = lastFailure?.errorClass ?? 'network';
		this.httpCode = lastFailure?.failure.status;
	}
}
