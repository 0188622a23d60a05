import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import { systemClock, type Clock } from '../../shared/clock';
import { redactSecrets } from '../../shared/redact';
import { yieldToEventLoop } from '../../shared/yieldToEventLoop';
import { encodeBatchBody, type EncodedBatchBody } from './batchBody';
import { EndpointRequestError } from './errors';
import { integerOption, msOption } from './guards';
import { stripUserInfo, type WebhookEndpoint } from './webhookEndpoint';

export interface EndpointPoolOptions {
	/** Connections per origin at most; further requests queue. @default 8 */
	connectionsPerOrigin?: number;
	/**
	 * How long an idle connection is kept for reuse, unless the server's Keep-Alive hint says otherwise. Below
	 * Node's server default of 5 s, so we close an idle socket before the server does and never write into one it
	 * is closing. @default 4000
	 */
	keepAliveTimeoutMs?: number;
	/** Default per-request timeout: for the response head, and for each pause while the body streams in. @default 30000 */
	timeoutMs?: number;
	/** JSON bodies above this many bytes are sent gzip-compressed. @default 1024 */
	gzipThresholdBytes?: number;
	/** Largest JSON body (before compression); n8n refuses more than 16 MiB unless `N8N_PAYLOAD_SIZE_MAX` is raised. @default 16 MiB */
	maxBodyBytes?: number;
	/** Largest response body read; a larger one fails the request without retry. @default 64 MiB */
	maxResponseBytes?: number;
	/** Measures latency. @default systemClock */
	clock?: Clock;
}

export interface RequestOptions {
	/** Overrides the pools' `timeoutMs` for this request. */
	timeoutMs?: number;
	/** Aborts the request, e.g. when the n8n execution is cancelled. */
	signal?: AbortSignal;
}

/** What one POST did: the answer, whatever its status, and what it cost. */
export interface EndpointResponse {
	status: number;
	headers: IncomingHttpHeaders;
	bodyText: string;
	/** From sending the request to having read the whole response. */
	latencyMs: number;
	bytesRaw: number;
	bytesSent: number;
	gzip: boolean;
}

/** Connection counts of one origin's pool, for metrics. */
export interface OriginPoolStats {
	origin: string;
	/** Open connections. */
	connected: number;
	/** Open connections without a request: ready for reuse. */
	free: number;
	/** Requests being served. */
	running: number;
	/** Requests waiting for a connection. */
	queued: number;
}

const MIB = 1024 * 1024;
// undici's connect timeout; a request timeout shorter than this bounds it too.
const CONNECT_TIMEOUT_MS = 10_000;
// Failures where another attempt cannot help: the request itself, or the pool, is the problem.
const FINAL_ERROR_CODES: ReadonlySet<string> = new Set([
	'UND_ERR_INVALID_ARG',
	'UND_ERR_CLOSED',
	'UND_ERR_DESTROYED',
	'UND_ERR_NOT_SUPPORTED',
	'UND_ERR_RES_EXCEEDED_MAX_SIZE',
	'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
]);
const TIMEOUT_ERROR_CODES: ReadonlySet<string> = new Set([
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'UND_ERR_CONNECT_TIMEOUT',
]);

interface ErrorWithCode {
	message?: string;
	code?: string;
	cause?: { code?: string };
}

/**
 * Keep-alive connection pools for webhook endpoints, one undici `Pool` per origin: endpoints on the same n8n
 * instance share connections, and a run of batches to one endpoint reuses the same socket instead of paying a
 * TCP (and TLS) handshake per batch. Close it with `close()` when the work is done.
 */
export class EndpointPools {
	private readonly pools = new Map<string, Pool>();
	private readonly connectionsPerOrigin: number;
	private readonly keepAliveTimeoutMs: number;
	private readonly timeoutMs: number;
	private readonly gzipThresholdBytes: number;
	private readonly maxBodyBytes: number;
	private readonly maxResponseBytes: number;
	private readonly clock: Clock;
	private closed = false;

	constructor(options: EndpointPoolOptions = {}) {
		this.connectionsPerOrigin = integerOption('connectionsPerOrigin', options.connectionsPerOrigin, 8, 1);
		this.keepAliveTimeoutMs = msOption('keepAliveTimeoutMs', options.keepAliveTimeoutMs, 4000, 1);
		this.timeoutMs = msOption('timeoutMs', options.timeoutMs, 30_000, 1);
		this.gzipThresholdBytes = integerOption('gzipThresholdBytes', options.gzipThresholdBytes, 1024, 0);
		this.maxBodyBytes = integerOption('maxBodyBytes', options.maxBodyBytes, 16 * MIB, 1);
		this.maxResponseBytes = integerOption('maxResponseBytes', options.maxResponseBytes, 64 * MIB, 1);
		this.clock = options.clock ?? systemClock;
	}

	/** Serialises and, above the threshold, compresses a batch body once, for every attempt to send. */
	encode(body: object): Promise<EncodedBatchBody> {
		return encodeBatchBody(body, { gzipThresholdBytes: this.gzipThresholdBytes, maxBodyBytes: this.maxBodyBytes });
	}

	/**
	 * POSTs an encoded batch to an endpoint and reads the whole answer, whatever its status: the caller decides
	 * what a status means. Throws {@link EndpointRequestError} when no answer arrived; its message never carries
	 * the auth headers or URL credentials.
	 */
	async post(
		endpoint: WebhookEndpoint,
		batchId: string,
		body: EncodedBatchBody,
		options: RequestOptions = {},
	): Promise<EndpointResponse> {
		const timeoutMs = msOption('timeoutMs', options.timeoutMs, this.timeoutMs, 1);
		const headers: Record<string, string> = {
			...endpoint.authHeaders(),
			'content-type': 'application/json',
			accept: 'application/json',
			// The receiver's handle for duplicate suppression: the same on every attempt of one batch.
			'x-batch-id': batchId,
		};
		if (body.gzip) headers['content-encoding'] = 'gzip';
		const pool = this.poolFor(endpoint.origin);
		const startedAt = this.clock.now();
		try {
			const response = await pool.request({
				path: endpoint.path,
				method: 'POST',
				headers,
				body: body.bytes,
				signal: options.signal,
				headersTimeout: timeoutMs,
				bodyTimeout: timeoutMs,
			});
			const bodyText = await response.body.text();
			// undici hands a keep-alive socket back to its pool one event-loop turn after a response ends (it first
			// checks that the server did not close it). A request sent before then finds the connection busy and opens
			// another one, so a run of sequential batches would hold two sockets instead of one; waiting that turn avoids it.
			await yieldToEventLoop();
			return {
				status: response.statusCode,
				headers: response.headers,
				bodyText,
				latencyMs: Math.max(0, this.clock.now() - startedAt),
				bytesRaw: body.bytesRaw,
				bytesSent: body.bytesSent,
				gzip: body.gzip,
			};
		} catch (error) {
			throw this.requestError(endpoint.url, error, timeoutMs, options.signal, endpoint.secrets());
		}
	}

	/** GETs a URL (no auth headers) and returns its status, discarding the body; for health checks. */
	async getStatus(url: string, options: RequestOptions = {}): Promise<number> {
		const timeoutMs = msOption('timeoutMs', options.timeoutMs, this.timeoutMs, 1);
		const target = new URL(url);
		const pool = this.poolFor(target.origin);
		try {
			const response = await pool.request({
				path: `${target.pathname}${target.search}`,
				method: 'GET',
				signal: options.signal,
				headersTimeout: timeoutMs,
				bodyTimeout: timeoutMs,
			});
			await response.body.dump();
			return response.statusCode;
		} catch (error) {
			throw this.requestError(stripUserInfo(url), error, timeoutMs, options.signal, []);
		}
	}

	/** Connection counts per origin, for metrics. */
	stats(): OriginPoolStats[] {
		return [...this.pools].map(([origin, pool]) => {
			const { connected, free, running, queued } = pool.stats;
			return { origin, connected, free, running, queued };
		});
	}

	/** Closes every pool once its requests have finished; afterwards nothing can be sent. */
	async close(): Promise<void> {
		this.closed = true;
		const pools = [...this.pools.values()];
		this.pools.clear();
		await Promise.all(pools.map((pool) => pool.close()));
	}

	private poolFor(origin: string): Pool {
		if (this.closed) throw new Error('Expected the endpoint pools to be open, but close() was already called');
		let pool = this.pools.get(origin);
		if (pool === undefined) {
			pool = new Pool(origin, {
				connections: this.connectionsPerOrigin,
				keepAliveTimeout: this.keepAliveTimeoutMs,
				connectTimeout: Math.min(this.timeoutMs, CONNECT_TIMEOUT_MS),
				maxResponseSize: this.maxResponseBytes,
				// One request per connection at a time: a slow batch never holds up the one queued behind it.
				pipelining: 1,
			});
			this.pools.set(origin, pool);
		}
		return pool;
	}

	private requestError(
		url: string,
		error: unknown,
		timeoutMs: number,
		signal: AbortSignal | undefined,
		secrets: readonly string[],
	): EndpointRequestError {
		const { message, code: ownCode, cause } = (error ?? {}) as ErrorWithCode;
		const code = ownCode ?? cause?.code;
		if (signal?.aborted) return new EndpointRequestError(url, 'the request was cancelled', { cancelled: true }, code);
		if (code !== undefined && TIMEOUT_ERROR_CODES.has(code)) {
			const what = code === 'UND_ERR_CONNECT_TIMEOUT' ? 'no connection' : 'no answer';
			return new EndpointRequestError(url, `${what} within ${timeoutMs} ms`, { timeout: true }, code);
		}
		if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
			return new EndpointRequestError(url, `the response is larger than ${this.maxResponseBytes} bytes`, {}, code);
		}
		// Connection errors over several addresses (IPv4 and IPv6) arrive as an AggregateError without a message.
		const text = message || (code ?? String(error));
		const detail = redactSecrets(stripUserInfo(code === undefined || text.includes(code) ? text : `${text} (${code})`), secrets);
		const final = code !== undefined && FINAL_ERROR_CODES.has(code);
		return new EndpointRequestError(url, detail, final ? {} : { networkError: true }, code);
	}
}
