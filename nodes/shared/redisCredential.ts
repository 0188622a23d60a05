import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { RedisConnectionOptions } from '../../lib/state/redis';

/** The credential type every node of the package names for the Redis state backend. */
export const REDIS_CREDENTIAL = 'perfOptimizerRedisApi';

/** Maps the Redis credential onto connection options (the nodes and the credential's test use the same mapping). */
export function redisOptionsFromCredential(credential: ICredentialDataDecryptedObject): RedisConnectionOptions {
	const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));
	return {
		host: text(credential.host).trim() || 'localhost',
		port: Number(credential.port ?? 6379),
		db: Number(credential.database ?? 0),
		username: text(credential.user) || undefined,
		password: text(credential.password) || undefined,
		tls: credential.tls === true,
		keyPrefix: text(credential.keyPrefix) || 'perfopt:',
	};
}
