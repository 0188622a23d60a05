import type { ErrorClass } from '../../metrics';
import {
	classifyHttpFailure,
	defaultRetryPolicy,
	isRetryableHttp,
	validateRetryPolicy,
	withRetries,
	type RetryDecision,
	type RetryPolicy,
	type Sleep,
} from '../../resilience';
import type { Clock } from '../../shared/clock';
import { redactSecrets } from '../../shared/redact';
import type { EncodedBatchBody } from './batchBody';
import type { EndpointHealth, EndpointPass } from './endpointHealth';
import type { EndpointPools, EndpointResponse } from './endpointPool';
import {
	AllEndpointsDownError,
	EndpointRequestError,
	WebhookResponseError,
	webhookFailureOf,
	type WebhookFailure,
} from './errors';
import type { LoadBalancer } from './loadBalancer';
import { expectDistinctEndpoints, type WebhookEndpoint } from './webhookEndpoint';

/** One batch: `id` travels as the `X-Batch-Id` header, `body` as JSON (e.g. `{ batchId, items }`). */
export interface WebhookBatch {
	id: string;
	body: object;
}

/** One request of a dispatch, for metrics and logs (no secrets). */
export interface DispatchAttemptReport {
	batchId: string;
	/** From 1. */
	attempt: number;
	endpoint: string;
	/** The request was a half-open endpoint's trial. */
	trial: boolean;
	outcome: 'ok' | ErrorClass;
	status?: number;
	error?: string;
	latencyMs: number;
	bytesRaw: number;
	bytesSent: number;
	gzip: boolean;
}

export interface DispatchBatchOptions {
	/** The receivers, in the order round-robin visits them. */
	endpoints: readonly WebhookEndpoint[];
	balancer: LoadBalancer;
	health: EndpointHealth;
	pools: EndpointPools;
	/** Attempts in all and backoff; every attempt goes to the next endpoint that can take it. @default defaultRetryPolicy */
	retryPolicy?: RetryPolicy;
	sleep: Sleep;
	clock: Clock;
	/** Cancels the request under way and any wait; the signal's reason is thrown. */
	signal?: AbortSignal;
	/** A number in [0, 1) for the backoff jitter. @default Math.random */
	random?: () => number;
	/** Per-request timeout; the pools' default when absent. */
	timeoutMs?: number;
	/** Called after each request with what it did. */
	onAttempt?: (report: DispatchAttemptReport) => void;
}

export interface DispatchBatchResult {
	status: number;
	/** The parsed response body; `null` for an empty one. */
	json: unknown;
	/** The URL (without credentials) that answered. */
	endpoint: string;
	/** Requests sent, the successful one included. */
	attempts: number;
	/** From the start of the dispatch to the answer: encoding, failed attempts and waits included. */
	latencyMs: number;
	bytesRaw: number;
	/** Bytes of the body as sent once (every attempt sends the same bytes). */
	bytesSent: number;
	gzip: boolean;
}

/** What an attempt report says beyond the batch and endpoint. */
type AttemptFacts = Pick<DispatchAttemptReport, 'outcome' | 'status' | 'error' | 'latencyMs'>;

// Enough of an error body to see what the receiver objected to, without flooding a message or a log line.
const MAX_EXCERPT_CHARS = 500;
// Header-safe batch ids: visible ASCII with inner spaces, short enough for any proxy's header limits.
const BATCH_ID = /^[\x21-\x7e](?:[\x20-\x7e]{0,254}[\x21-\x7e])?$/;

/** Thrown inside the retry loop when no endpoint can take the batch; ends it at once. */
class NoEndpointAvailable extends Error {}

interface Answer {
	response: EndpointResponse;
	json: unknown;
	endpoint: string;
}

function expectBatch(batch: WebhookBatch): void {
	if (typeof batch?.id !== 'string' || !BATCH_ID.test(batch.id)) {
		throw new TypeError(
			`Expected \`batch.id\` to be 1 to 256 visible ASCII characters (it is sent as the X-Batch-Id header), got ${JSON.stringify(batch?.id)}`,
		);
	}
}

/** Checks what can be checked before any work; returns the retry policy to use. */
function expectOptions(options: DispatchBatchOptions): RetryPolicy {
	if (!Array.isArray(options?.endpoints) || options.endpoints.length === 0) {
		throw new TypeError('Expected `endpoints` to hold at least one webhook endpoint');
	}
	expectDistinctEndpoints(options.endpoints);
	if (typeof options.sleep !== 'function') throw new TypeError('Expected `sleep` to be a function (ms, signal) => Promise<void>');
	if (typeof options.clock?.now !== 'function') throw new TypeError('Expected `clock` to be a Clock with a now() method');
	return validateRetryPolicy(options.retryPolicy ?? defaultRetryPolicy);
}

/** The start of a response body on one line, with the endpoint's secrets removed in case the receiver echoed them. */
function bodyExcerpt(text: string, secrets: readonly string[]): string {
	const oneLine = redactSecrets(text, secrets).replace(/\s+/g, ' ').trim();
	return oneLine.length <= MAX_EXCERPT_CHARS ? oneLine : `${oneLine.slice(0, MAX_EXCERPT_CHARS)}…`;
}

/**
 * The parsed body of a 2xx answer, or the error that makes the answer unusable. A status worth retrying
 * (408, 425, 429, 5xx) and any other non-2xx status both become a {@link WebhookResponseError}; the retry loop
 * tells them apart through the status.
 */
function readAnswer(endpoint: WebhookEndpoint, response: EndpointResponse): { json: unknown } | WebhookResponseError {
	const { status, headers, bodyText } = response;
	const excerpt = () => bodyExcerpt(bodyText, endpoint.secrets());
	if (status < 200 || status > 299) return new WebhookResponseError(endpoint.url, status, excerpt(), headers);
	if (bodyText.trim() === '') return { json: null };
	try {
		return { json: JSON.parse(bodyText) };
	} catch {
		return new WebhookResponseError(endpoint.url, status, excerpt(), headers, `answered HTTP ${status} with a body that is not JSON`);
	}
}

/**
 * Sends one batch to one of several n8n webhook endpoints and returns the parsed answer.
 *
 * Attempts are strictly one after another, never two endpoints at once for one batch. A failed attempt (no
 * answer, a timeout, 408, 425, 429 or 5xx) is retried on the next endpoint that can take it, after an
 * exponential backoff with full jitter or the wait the receiver asked for with Retry-After; the receiver sees
 * the same X-Batch-Id on every attempt, so it can drop a batch it already processed. Any other status is final
 * and thrown at once as a {@link WebhookResponseError} with the status and the start of the body.
 *
 * When no endpoint can take the batch (all ejected, with the active health check, if any, re-admitting none)
 * or every attempt failed, an {@link AllEndpointsDownError} lists each endpoint with its health.
 */
export async function dispatchBatch(batch: WebhookBatch, options: DispatchBatchOptions): Promise<DispatchBatchResult> {
	expectBatch(batch);
	const policy = expectOptions(options);
	const { endpoints, balancer, health, pools, clock, signal, onAttempt } = options;
	signal?.throwIfAborted();
	const startedAt = clock.now();
	const body = await pools.encode(batch.body);
	const byUrl = new Map(endpoints.map((endpoint) => [endpoint.url, endpoint]));
	const urls = endpoints.map((endpoint) => endpoint.url);
	const tried = new Set<string>();
	let sent = 0;
	let lastFailure: WebhookFailure | undefined;

	const report = (pass: EndpointPass, facts: AttemptFacts) =>
		onAttempt?.({
			batchId: batch.id,
			attempt: sent,
			endpoint: pass.endpoint,
			trial: pass.trial,
			bytesRaw: body.bytesRaw,
			bytesSent: body.bytesSent,
			gzip: body.gzip,
			...facts,
		});

	const sendTo = async (endpoint: WebhookEndpoint, pass: EndpointPass): Promise<Answer> => {
		const attemptStartedAt = clock.now();
		let response: EndpointResponse;
		try {
			response = await pools.post(endpoint, batch.id, body, { timeoutMs: options.timeoutMs, signal });
		} catch (error) {
			if (!(error instanceof EndpointRequestError) || error.failure.cancelled) {
				health.release(pass);
				throw error;
			}
			lastFailure = error;
			// A final client-side problem (a response above the size limit) says nothing against the endpoint.
			if (isRetryableHttp(error.failure)) health.recordFailure(pass, { error: error.detail });
			else health.release(pass);
			report(pass, { outcome: error.errorClass, error: error.detail, latencyMs: Math.max(0, clock.now() - attemptStartedAt) });
			throw error;
		}
		const answer = readAnswer(endpoint, response);
		if (answer instanceof WebhookResponseError) {
			lastFailure = answer;
			// A final status (400, 404, ...) is an answer from a live endpoint: it counts for the endpoint's health.
			if (isRetryableHttp(answer.failure)) health.recordFailure(pass, { status: response.status, error: `HTTP ${response.status}` });
			else health.recordSuccess(pass, response.status);
			report(pass, { outcome: answer.errorClass, status: response.status, error: answer.message, latencyMs: response.latencyMs });
			throw answer;
		}
		health.recordSuccess(pass, response.status);
		report(pass, { outcome: 'ok', status: response.status, latencyMs: response.latencyMs });
		return { response, json: answer.json, endpoint: endpoint.url };
	};

	const attempt = async (): Promise<Answer> => {
		// Endpoints this batch already failed on come last, so a retry goes to the next endpoint when there is one.
		let pass = balancer.pick(urls, health, tried);
		if (pass === undefined && (await health.probeEjected(urls, signal)).length > 0) pass = balancer.pick(urls, health, tried);
		if (pass === undefined) throw new NoEndpointAvailable();
		const endpoint = byUrl.get(pass.endpoint) as WebhookEndpoint;
		tried.add(endpoint.url);
		sent += 1;
		balancer.started(endpoint.url);
		try {
			return await sendTo(endpoint, pass);
		} finally {
			balancer.finished(endpoint.url);
		}
	};

	const classify = (error: unknown): RetryDecision => {
		const failure = webhookFailureOf(error);
		return failure === undefined ? { retry: false } : classifyHttpFailure(failure.failure, clock.now());
	};

	let answer: Answer;
	try {
		({ value: answer } = await withRetries(attempt, {
			policy,
			classify,
			sleep: options.sleep,
			random: options.random,
			signal,
		}));
	} catch (error) {
		if (signal?.aborted) throw signal.reason;
		const failure = webhookFailureOf(error);
		if (error instanceof NoEndpointAvailable || (failure !== undefined && isRetryableHttp(failure.failure))) {
			throw new AllEndpointsDownError(batch.id, sent, health.reports(urls), lastFailure);
		}
		throw error;
	}
	return resultOf(answer, sent, Math.max(0, clock.now() - startedAt), body);
}

function resultOf(answer: Answer, attempts: number, latencyMs: number, body: EncodedBatchBody): DispatchBatchResult {
	return {
		status: answer.response.status,
		json: answer.json,
		endpoint: answer.endpoint,
		attempts,
		latencyMs,
		bytesRaw: body.bytesRaw,
		bytesSent: body.bytesSent,
		gzip: body.gzip,
	};
}
