import type { Redis } from 'ioredis';
import type { Clock } from '../../shared/clock';
import type { EngineLogger } from '../../shared/logger';
import type { RedisKeys } from './keys';
import type { ResolvedRedisOptions } from './options';

/**
 * What the parts of a connection (its metrics buffer, its cross-process flights) need from it: commands run
 * under the health circuit, the key names and the settings. Declared apart from `RedisConnection` so that
 * those parts do not import the connection that owns them.
 */
export interface RedisCommandRunner {
	readonly keys: RedisKeys;
	/** The resolved options, without the password. */
	readonly settings: Readonly<Omit<ResolvedRedisOptions, 'password'>>;
	/** The server as log lines name it (no password). */
	readonly target: string;
	readonly logger: EngineLogger;
	readonly clock: Clock;
	/** Throws `RedisUnavailableError` while the circuit is open, and when the commands fail or time out. */
	run<T>(commands: (client: Redis) => Promise<T>): Promise<T>;
}
