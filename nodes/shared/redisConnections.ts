import { createHash } from 'node:crypto';
import type { EngineLogger } from '../../lib/shared/logger';
import { processSingletonFamily } from '../../lib/state';
import { createRedisConnection, type RedisConnectionOptions } from '../../lib/state/redis';

/**
 * One connection per process and Redis target, closed with the process state. Named by a hash of the options,
 * so no secret is kept in a name; the first caller's logger gets the connection's outage warnings.
 */
export const redisConnections = processSingletonFamily(
	'redis',
	({ options }: { options: RedisConnectionOptions; logger: EngineLogger }) =>
		createHash('sha256').update(JSON.stringify(options)).digest('hex').slice(0, 16),
	({ options, logger }, process) => createRedisConnection(options, { logger, clock: process.clock }),
);
