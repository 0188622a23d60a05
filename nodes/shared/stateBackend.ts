import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
	INodeProperties,
} from 'n8n-workflow';
import { redisOptionsFromCredential } from './redisCredential';

/** The method that tests the credential; each node's description names it in its `credentials` entry. */
const REDIS_TEST = 'perfOptimizerRedisConnectionTest';

/** The "State Backend" parameter every node of the package has, at the end of its parameters. */
export const stateBackendField: INodeProperties = {
	displayName: 'State Backend',
	name: 'stateBackend',
	type: 'options',
	options: [
		{
			name: 'Workflow Static Data',
			value: 'staticData',
			description: 'Nothing to install; state is kept per n8n process and saved with the workflow',
		},
		{
			name: 'Redis',
			value: 'redis',
			description: 'Shared by every n8n process using the same Redis: needed in queue mode (main plus workers)',
		},
	],
	default: 'staticData',
	description:
		'Where caches, rate limits and metrics live. Perf Monitor sees what was recorded on the same backend. If Redis is unreachable, nodes carry on with in-process state and report "degraded".',
};

/** How long metric counts may wait unsaved in static data; see README "State and persistence". */
export const metricsFlushField: INodeProperties = {
	displayName: 'Metrics Flush Interval (Seconds)',
	name: 'metricsFlushSeconds',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 86400 },
	default: 60,
	description:
		'How often counts alone are saved to the workflow. New cached answers and settings are saved at once; a crash loses at most this many seconds of counts. 0 saves on every execution, which costs n8n a rewrite of the static data each time.',
	displayOptions: { show: { stateBackend: ['staticData'] } },
};

/** The state parameters every node of the package has, at the end of its parameters. */
export const stateFields: INodeProperties[] = [stateBackendField, metricsFlushField];

/**
 * The credential's test: the same client the nodes use, one PING with short timeouts. The credential has no HTTP
 * request to test with, so the nodes provide this method.
 */
async function testRedisConnection(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const { createRedisConnection } = await import('../../lib/state/redis');
	let connection: ReturnType<typeof createRedisConnection>;
	try {
		connection = createRedisConnection({ ...redisOptionsFromCredential(credential.data ?? {}), commandTimeoutMs: 3000, connectTimeoutMs: 3000 });
	} catch (error) {
		return { status: 'Error', message: `The credential is not usable: ${(error as Error).message}` };
	}
	try {
		await connection.run((client) => client.ping());
		return { status: 'OK', message: `Connected to Redis at ${connection.target}` };
	} catch (error) {
		return { status: 'Error', message: `Could not reach Redis at ${connection.target}: ${(error as Error).message}` };
	} finally {
		await connection.close();
	}
}

export const redisCredentialTestMethods = { credentialTest: { [REDIS_TEST]: testRedisConnection } };
