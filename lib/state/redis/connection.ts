import Redis from 'ioredis';
import { systemClock, type Clock } from '../../shared/clock';
import { silentLogger, type EngineLogger } from '../../shared/logger';
import { redactSecrets } from '../../shared/redact';
import type { RedisCommandRunner } from './commandRunner';
import { RedisUnavailableError } from './errors';
import { CrossProcessFlights } from './flights';
import { RedisHealth } from './health';
import { RedisKeys } from './keys';
import { MetricsBuffer } from './metricsBuffer';
import { describeRedisTarget, resolveRedisOptions, type RedisConnectionOptions, type ResolvedRedisOptions } from './options';

export interface RedisConnectionDependencies {
	/** Gets one warning per outage and one when Redis is back. */
	logger?: EngineLogger;
	/** Clock for the circuit's retry times and for metric minutes of events without a time. */
	clock?: Clock;
}

/** ioredis reports this when a command was refused before it was written: it surely did not run. */
const NOT_WRITTEN = "Stream isn't writeable";
const TIMED_OUT = 'Command timed out';
const KEEP_ALIVE_MS = 30_000;

/**
 * The process-level side of the Redis backend: one client, its health circuit, the metrics waiting to be sent
 * and the calls being coalesced. Create one per process and Redis server and share it between every
 * {@link RedisStateStore} (e.g. through `ProcessState.shared`, which also closes it at shutdown).
 *
 * The client never queues commands while disconnected and never resends them after a reconnect: a command either
 * runs now or fails now, within `commandTimeoutMs`, so a slow or dead Redis costs callers one timeout at most.
 */
export class RedisConnection implements RedisCommandRunner {
	readonly client: Redis;
	readonly keys: RedisKeys;
	readonly health: RedisHealth;
	/** The resolved options, without the password. */
	readonly settings: Readonly<Omit<ResolvedRedisOptions, 'password'>>;
	/** The server as log lines name it (no password). */
	readonly target: string;
	readonly logger: EngineLogger;
	readonly clock: Clock;
	readonly metrics: MetricsBuffer;
	readonly flights: CrossProcessFlights;
	private readonly redact: (text: string) => string;
	private readyWait: Promise<void> | undefined;
	private closing: Promise<void> | undefined;
	/** Set once the final flush is done: later calls fail without touching the circuit (no false outage warning). */
	private closed = false;

	constructor(options: RedisConnectionOptions, dependencies: RedisConnectionDependencies = {}) {
		const { password, ...settings } = resolveRedisOptions(options);
		this.settings = settings;
		this.target = describeRedisTarget(settings);
		this.logger = dependencies.logger ?? silentLogger;
		this.clock = dependencies.clock ?? systemClock;
		this.redact = (text) => redactSecrets(text, [password]);
		this.keys = new RedisKeys(settings.keyPrefix);
		this.health = new RedisHealth({
			target: this.target,
			logger: this.logger,
			retryAfterMs: settings.retryAfterMs,
			clock: this.clock,
			redact: this.redact,
		});
		this.client = new Redis({
			host: settings.host,
			port: settings.port,
			db: settings.db,
			username: settings.username,
			password,
			tls: settings.tls ? {} : undefined,
			connectionName: 'perf-optimizer',
			connectTimeout: settings.connectTimeoutMs,
			commandTimeout: settings.commandTimeoutMs,
			// A socket that does not close when told to (a hung server) is destroyed as soon as a command would time out.
			disconnectTimeout: settings.commandTimeoutMs,
			// Keeps idle connections alive through NAT and firewalls, and lets the OS notice a peer that vanished.
			keepAlive: KEEP_ALIVE_MS,
			enableOfflineQueue: false,
			maxRetriesPerRequest: 0,
			autoResendUnfulfilledCommands: false,
			// Keep trying forever, at least once a second, so the circuit can close soon after Redis is back.
			retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
		});
		// A connection error opens the circuit at once. A plain close does not: servers and proxies drop idle
		// connections, and the client reconnects within ~100 ms, which a call rides out (see `connected`).
		// (Without an 'error' listener, ioredis would also print every connection error to the console.)
		this.client.on('error', (error: Error) => {
			if (this.closing === undefined) this.health.connectionLost(error);
		});
		this.client.on('ready', () => this.health.connectionReady());
		this.metrics = new MetricsBuffer(this);
		this.flights = new CrossProcessFlights(this);
	}

	/**
	 * Runs Redis commands under the circuit. Throws {@link RedisUnavailableError} at once while the circuit is
	 * open, and when the commands fail or time out (which opens it).
	 */
	async run<T>(commands: (client: Redis) => Promise<T>): Promise<T> {
		if (this.closed) throw new RedisUnavailableError(`The connection to Redis at ${this.target} is closed`, false);
		const ticket = this.health.begin();
		if (ticket === undefined) throw new RedisUnavailableError(`Redis at ${this.target} is unavailable`, false);
		try {
			await this.connected();
			const result = await commands(this.client);
			this.health.succeeded(ticket);
			return result;
		} catch (error) {
			this.health.failed(ticket, error);
			if (error instanceof RedisUnavailableError) throw error;
			const message = this.redact(String((error as Error)?.message ?? error));
			// A probe that times out on a connection the client still calls ready may be talking into a socket a
			// firewall dropped without a word (the OS can take many minutes to notice): start a fresh one.
			if (ticket.probe && message === TIMED_OUT && this.client.status === 'ready') this.client.disconnect(true);
			throw new RedisUnavailableError(`Redis at ${this.target} failed: ${message}`, !message.includes(NOT_WRITTEN), {
				cause: error,
			});
		}
	}

	/** Sends the metrics still buffered (best effort), then disconnects. Idempotent. */
	close(): Promise<void> {
		this.closing ??= this.shutDown();
		return this.closing;
	}

	private async shutDown(): Promise<void> {
		try {
			await this.metrics.flush();
		} catch {
			if (this.metrics.pendingSeries > 0) {
				this.logger.warn(
					`perf-optimizer: ${this.metrics.pendingSeries} metric series could not be written to Redis at ${this.target} before shutdown`,
				);
			}
		}
		this.closed = true;
		try {
			await this.client.quit();
		} catch {
			// Not connected, or no answer within the command timeout: drop the socket instead. (Only then: after
			// a clean QUIT, disconnecting again would leave ioredis waiting for a close that already happened.)
			if (this.client.status !== 'end') this.client.disconnect();
		}
	}

	/**
	 * Resolves when the client can take commands. While it is (re)connecting, waits for that at most a command
	 * timeout; a failed attempt ends the wait at once.
	 */
	private connected(): Promise<void> {
		const status = this.client.status;
		if (status === 'ready') return Promise.resolve();
		if (status !== 'connecting' && status !== 'connect' && status !== 'reconnecting') {
			return Promise.reject(new RedisUnavailableError(`Redis at ${this.target} is not connected (${status})`, false));
		}
		// One shared wait: a burst of calls at start-up must not add a listener each.
		this.readyWait ??= this.waitForReady().finally(() => {
			this.readyWait = undefined;
		});
		return this.readyWait;
	}

	private waitForReady(): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			const settle = (error?: Error) => {
				clearTimeout(timer);
				this.client.off('ready', onReady);
				this.client.off('close', onClose);
				if (error) reject(error);
				else resolve();
			};
			const onReady = () => settle();
			const onClose = () => settle(new RedisUnavailableError(`Redis at ${this.target} closed the connection`, false));
			const timer = setTimeout(
				() => {
					const within = this.settings.commandTimeoutMs;
					settle(new RedisUnavailableError(`Redis at ${this.target} did not connect within ${within} ms`, false));
				},
				this.settings.commandTimeoutMs,
			);
			this.client.once('ready', onReady);
			this.client.once('close', onClose);
		});
	}
}

/** Connects to Redis at once (without waiting); see {@link RedisConnection}. Throws `TypeError` on bad options. */
export function createRedisConnection(
	options: RedisConnectionOptions,
	dependencies: RedisConnectionDependencies = {},
): RedisConnection {
	return new RedisConnection(options, dependencies);
}
