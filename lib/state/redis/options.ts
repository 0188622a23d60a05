/** How to reach Redis and how the backend behaves; the node glue maps a credential onto this. */
export interface RedisConnectionOptions {
	/** @default '127.0.0.1' */
	host?: string;
	/** @default 6379 */
	port?: number;
	/** Database number. @default 0 */
	db?: number;
	/** ACL user (Redis 6+); absent = the default user. */
	username?: string;
	/** Never logged and never part of an error message. */
	password?: string;
	/** Connect over TLS (server certificate checked against the system CAs). @default false */
	tls?: boolean;
	/** Put before every key, so several installations or test runs can share one database. @default 'perfopt:' */
	keyPrefix?: string;
	/**
	 * A command not answered within this many ms counts as a failure and the call falls back. @default 2000
	 * Not lower: a busy n8n worker (ten executions starting at once on two cores) can hold its event loop for
	 * hundreds of ms, and the timeout timer then fires before the reply that already arrived is read, which would
	 * take a healthy Redis for an outage.
	 */
	commandTimeoutMs?: number;
	/** How long one connection attempt may take. @default 2000 */
	connectTimeoutMs?: number;
	/** After a failure, calls skip Redis for this long before one call tries it again. @default 3000 */
	retryAfterMs?: number;
	/**
	 * How long a coalesced call's lock outlives a process that died while holding it; a live holder keeps renewing
	 * it. Waiting processes take over after at most this long. @default 30000
	 */
	lockTtlMs?: number;
	/** How long a coalesced call's result is kept for processes still polling for it. @default 30000 */
	flightResultTtlMs?: number;
	/** Minutes of per-minute metric buckets kept; older ones expire by themselves. @default 1440 (24 h) */
	metricsRetentionMinutes?: number;
	/** Series whose unsent metrics a process buffers at most while Redis is unreachable. @default 10000 */
	maxBufferedSeries?: number;
	/** Minute buckets a process buffers at most while Redis is unreachable; beyond it only totals count. @default 50000 */
	maxBufferedBuckets?: number;
}

export type ResolvedRedisOptions = Required<Omit<RedisConnectionOptions, 'username' | 'password'>> &
	Pick<RedisConnectionOptions, 'username' | 'password'>;

const DEFAULTS = {
	host: '127.0.0.1',
	port: 6379,
	db: 0,
	tls: false,
	keyPrefix: 'perfopt:',
	commandTimeoutMs: 2000,
	connectTimeoutMs: 2000,
	retryAfterMs: 3000,
	lockTtlMs: 30_000,
	flightResultTtlMs: 30_000,
	metricsRetentionMinutes: 1440,
	maxBufferedSeries: 10_000,
	maxBufferedBuckets: 50_000,
} satisfies Omit<ResolvedRedisOptions, 'username' | 'password'>;

function integerIn(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
	if (!Number.isInteger(value) || value < min || value > max) {
		throw new TypeError(`Expected \`${name}\` to be an integer from ${min} to ${max}, got ${value}`);
	}
	return value;
}

/** Fills in defaults and checks every field; a `TypeError` names the field (and never shows the password). */
export function resolveRedisOptions(options: RedisConnectionOptions): ResolvedRedisOptions {
	const resolved: ResolvedRedisOptions = { ...DEFAULTS };
	for (const [name, value] of Object.entries(options)) {
		// An empty user or password field of a credential means "none", not "the empty string".
		if (value !== undefined && !((name === 'username' || name === 'password') && value === '')) {
			(resolved as unknown as Record<string, unknown>)[name] = value;
		}
	}
	if (typeof resolved.host !== 'string' || resolved.host.trim() === '') throw new TypeError('Expected `host` to be a non-empty string');
	if (typeof resolved.keyPrefix !== 'string') throw new TypeError('Expected `keyPrefix` to be a string');
	if (typeof resolved.tls !== 'boolean') throw new TypeError('Expected `tls` to be true or false');
	for (const name of ['username', 'password'] as const) {
		if (resolved[name] !== undefined && typeof resolved[name] !== 'string') throw new TypeError(`Expected \`${name}\` to be a string`);
	}
	integerIn('port', resolved.port, 1, 65_535);
	integerIn('db', resolved.db, 0);
	integerIn('commandTimeoutMs', resolved.commandTimeoutMs, 1);
	integerIn('connectTimeoutMs', resolved.connectTimeoutMs, 1);
	integerIn('retryAfterMs', resolved.retryAfterMs, 0);
	integerIn('lockTtlMs', resolved.lockTtlMs, 100);
	integerIn('flightResultTtlMs', resolved.flightResultTtlMs, 100);
	integerIn('metricsRetentionMinutes', resolved.metricsRetentionMinutes, 1);
	integerIn('maxBufferedSeries', resolved.maxBufferedSeries, 1);
	integerIn('maxBufferedBuckets', resolved.maxBufferedBuckets, 0);
	return resolved;
}

/** Names the server in log lines: scheme, user, host, port and database, never the password. */
export function describeRedisTarget(options: ResolvedRedisOptions): string {
	const user = options.username ? `${options.username}@` : '';
	return `${options.tls ? 'rediss' : 'redis'}://${user}${options.host}:${options.port}/${options.db}`;
}
