import { describeRedisTarget, RedisKeys, resolveRedisOptions } from '../../../../lib/state/redis';

describe('Redis options', () => {
	it('fills in the defaults', () => {
		expect(resolveRedisOptions({})).toEqual({
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
		});
	});

	it('treats empty credential fields as absent and names the server without the password', () => {
		const options = resolveRedisOptions({
			host: 'cache.internal',
			port: 6380,
			db: 2,
			tls: true,
			username: 'n8n',
			password: 'hunter2-secret',
		});
		expect(describeRedisTarget(options)).toBe('rediss://n8n@cache.internal:6380/2');
		const anonymous = resolveRedisOptions({ username: '', password: '' });
		expect(anonymous.username).toBeUndefined();
		expect(anonymous.password).toBeUndefined();
	});

	it('names the bad field without showing values of other fields', () => {
		expect(() => resolveRedisOptions({ port: 70_000, password: 'hunter2-secret' })).toThrow(/`port`/);
		expect(() => resolveRedisOptions({ commandTimeoutMs: 0 })).toThrow(/`commandTimeoutMs`/);
		expect(() => resolveRedisOptions({ host: ' ' })).toThrow(/`host`/);
		try {
			resolveRedisOptions({ db: -1, password: 'hunter2-secret' });
		} catch (error) {
			expect((error as Error).message).not.toContain('hunter2');
		}
	});
});

describe('RedisKeys', () => {
	it('keeps parts apart whatever characters they hold', () => {
		const keys = new RedisKeys('p:');
		expect(keys.cacheEntry('wf1', 'ai:node:Ask', 'abc')).toBe('p:c:wf1:ai%3Anode%3AAsk:abc');
		expect(keys.cacheEntry('a:b', 'c', 'k')).not.toBe(keys.cacheEntry('a', 'b:c', 'k'));
		expect(keys.cacheEntry('a%3Ab', 'c', 'k')).not.toBe(keys.cacheEntry('a:b', 'c', 'k'));
		const series = { nodeType: 't', nodeName: 'Ask: summary', operation: 'chat' };
		expect(keys.metrics('wf1', series, 'all')).toBe('p:m:wf1:t\u0001Ask%3A summary\u0001chat:all');
		expect(keys.metrics('wf1', series, 29_000_000)).toBe('p:m:wf1:t\u0001Ask%3A summary\u0001chat:29000000');
	});
});
