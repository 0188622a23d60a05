import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Where the Redis state backend keeps caches, locks, rate limits and metrics. Usually the Redis that n8n's queue
 * mode already uses, with a database or key prefix of its own. There is no HTTP request to test it with, so the
 * nodes test it themselves (a PING through the same client they use).
 */
export class PerfOptimizerRedisApi implements ICredentialType {
	name = 'perfOptimizerRedisApi';

	displayName = 'Perf Optimizer Redis API';

	icon = 'file:perfOptimizerRedisApi.svg' as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-perf-optimizer';

	properties: INodeProperties[] = [
		{ displayName: 'Host', name: 'host', type: 'string', default: 'localhost' },
		{ displayName: 'Port', name: 'port', type: 'number', typeOptions: { minValue: 1, maxValue: 65535 }, default: 6379 },
		{
			displayName: 'Database Number',
			name: 'database',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'A database of its own (e.g. 1) keeps our keys apart from the queue mode jobs in database 0',
		},
		{ displayName: 'User', name: 'user', type: 'string', default: '', description: 'For Redis ACL users; empty for the default user' },
		{ displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'SSL/TLS', name: 'tls', type: 'boolean', default: false },
		{
			displayName: 'Key Prefix',
			name: 'keyPrefix',
			// eslint-disable-next-line n8n-nodes-base/cred-class-field-type-options-password-missing -- a Redis key prefix, not an API key
			type: 'string',
			default: 'perfopt:',
			description: 'Every key this package writes starts with it, so it can share a Redis with other users',
		},
	];
}
