import Redis from 'ioredis';
import type { MetricEvent } from '../../../../lib/metrics';
import { ProcessState, STATE_KEY, StaticDataStateStore } from '../../../../lib/state';
import { FallbackStateStore, RedisStateStore, type RedisConnection } from '../../../../lib/state/redis';
import { startRedisServer, type RedisTestServer } from '../../../helpers/redisServer';
import { delay, eventually, recordingLogger, RedisKit } from './redisTestKit';

let server: RedisTestServer;
const kit = new RedisKit(() => server);

beforeAll(async () => {
	server = await startRedisServer();
});

afterAll(async () => {
	await kit.closeAll();
	await server?.stop();
});

const event: MetricEvent = { nodeType: 'test.node', nodeName: 'Ask', operation: 'chat', durationMs: 3 };

/** What the node glue will do per execution: Redis first, the workflow's static data when Redis is away. */
function openStore(connection: RedisConnection, process: ProcessState, workflowId = 'wf1', staticData: Record<string, unknown> = {}) {
	return new FallbackStateStore({
		primary: new RedisStateStore({ connection, process, workflowId }),
		fallback: new StaticDataStateStore({ process, workflowId, staticData, logger: recordingLogger() }),
	});
}

/** One execution's worth of every kind of call; throws if any of them fails. */
async function oneExecution(store: FallbackStateStore, round: number): Promise<void> {
	const cache = store.caches.open('ai:node:Ask', { maxEntries: 100, ttlMs: 60_000 });
	await cache.set(`key-${round % 10}`, { round });
	await cache.get(`key-${(round + 5) % 10}`);
	const { value } = await store.caches.coalesce(`request-${round}`, async () => ({ round }));
	expect(value).toEqual({ round });
	await store.limiters.open('credential', { requestsPerMinute: 100_000 }).acquire(1);
	await store.records.set('monitor:settings', { round });
	await store.records.get('monitor:settings');
	store.metrics.record(event);
	await store.commit();
}

describe('FallbackStateStore over a failing Redis', () => {
	it('keeps serving through a crash of Redis with one warning, and is back on Redis soon after a restart', async () => {
		const logger = recordingLogger();
		const prefix = kit.newPrefix();
		const connection = kit.connect(prefix, { retryAfterMs: 300 }, logger);
		const process = new ProcessState({ instanceId: 'host-a' });
		let round = 0;
		let running = true;
		const failures: unknown[] = [];
		const loop = (async () => {
			while (running) {
				try {
					await oneExecution(openStore(connection, process), round++);
				} catch (error) {
					failures.push(error);
				}
				await delay(10);
			}
		})();

		await eventually(() => round > 5, 2000, 'the loop ran against Redis');
		expect(openStore(connection, process).backend).toBe('redis');
		await server.kill();
		await eventually(() => openStore(connection, process).backend === 'degraded', 2000, 'the store reports degraded');
		const roundAtOutage = round;
		await eventually(() => round > roundAtOutage + 10, 3000, 'the loop went on without Redis');
		// Counts recorded during the outage wait for Redis; this workflow records only from here on.
		const outage = openStore(connection, process, 'counted');
		for (let index = 0; index < 7; index++) outage.metrics.record(event);
		const report = await outage.commit();
		expect(report.written).toBe(true); // into the fallback's static data
		expect(logger.warnings).toHaveLength(1);
		expect(logger.warnings[0]).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+\/0 is unavailable/);

		await server.restart();
		await eventually(() => openStore(connection, process).backend === 'redis', 5000, 'the store is back on Redis');
		const afterRestart = round;
		await eventually(() => round > afterRestart + 5, 3000, 'the loop ran against the restarted Redis');
		running = false;
		await loop;
		expect(failures).toEqual([]);
		expect(logger.warnings).toHaveLength(2);
		expect(logger.warnings[1]).toMatch(/reachable again/);

		const back = openStore(connection, process, 'counted');
		back.metrics.record(event);
		await back.records.set('written-after-restart', true);
		await back.commit();
		const raw = new Redis({ port: server.port, lazyConnect: true });
		await raw.connect();
		try {
			expect(JSON.parse((await raw.hget(`${prefix}rec:counted`, 'written-after-restart'))!)).toMatchObject({ value: true });
			expect(await raw.hget(`${prefix}m:counted:test.node\u0001Ask\u0001chat:all`, 'calls')).toBe('8');
		} finally {
			raw.disconnect();
		}
	}, 20_000);

	it('answers within about one command timeout while Redis hangs, and at once after that', async () => {
		const logger = recordingLogger();
		const connection = kit.connect(kit.newPrefix(), { commandTimeoutMs: 200, retryAfterMs: 400 }, logger);
		const process = new ProcessState({ instanceId: 'host-a' });
		const store = openStore(connection, process);
		await store.records.set('k', 'from redis');
		server.pause();
		try {
			let started = Date.now();
			const cache = store.caches.open('c', { maxEntries: 10, ttlMs: 0 });
			const concurrent = await Promise.all(Array.from({ length: 20 }, (_, index) => cache.get(`k${index}`)));
			expect(concurrent).toEqual(Array.from({ length: 20 }, () => undefined));
			expect(Date.now() - started).toBeLessThan(600);
			expect(store.backend).toBe('degraded');
			started = Date.now();
			for (let index = 0; index < 20; index++) await oneExecution(openStore(connection, process), index);
			expect(Date.now() - started).toBeLessThan(300);
			// Still hung when a probe is due: the probe costs one timeout, and the client starts a fresh connection.
			await delay(450);
			started = Date.now();
			expect(await store.records.get('k')).toBeUndefined();
			expect(Date.now() - started).toBeLessThan(600);
			expect(logger.warnings).toEqual([expect.stringMatching(/unavailable \(.*timed out\)/)]);
		} finally {
			server.resume();
		}
		await eventually(() => store.records.get('k').then(() => store.backend === 'redis'), 3000, 'the store is back on Redis');
		expect((await store.records.get('k'))?.value).toBe('from redis');
	}, 15_000);

	it('counts a metrics batch exactly once when its first send timed out but ran', async () => {
		const connection = kit.connect(kit.newPrefix(), { commandTimeoutMs: 150, retryAfterMs: 200 });
		const store = openStore(connection, new ProcessState({ instanceId: 'host-a' }), 'once');
		for (let index = 0; index < 5; index++) store.metrics.record(event);
		server.pause();
		try {
			await store.commit(); // times out: Redis runs the script once it resumes
		} finally {
			server.resume();
		}
		store.metrics.record(event);
		await eventually(() => store.records.get('probe').then(() => store.backend === 'redis'), 3000, 'the store is back on Redis');
		await store.commit(); // sends the same batch again (a no-op now), then the new event
		const readings = await store.metrics.read();
		expect(readings.map((reading) => reading.counters.calls)).toEqual([6]);
	}, 10_000);

	it('starts degraded when Redis is not there, without waiting, and persists to the fallback', async () => {
		const logger = recordingLogger();
		const connection = kit.connect(kit.newPrefix(), { port: 1, retryAfterMs: 60_000 }, logger);
		const process = new ProcessState({ instanceId: 'host-a' });
		const staticData: Record<string, unknown> = {};
		const store = openStore(connection, process, 'wf1', staticData);
		const started = Date.now();
		await oneExecution(store, 1);
		expect(Date.now() - started).toBeLessThan(600);
		expect(store.backend).toBe('degraded');
		expect((await store.metrics.read()).map((reading) => reading.counters.calls)).toEqual([1]);
		expect(staticData[STATE_KEY]).toBeDefined();
		expect(logger.warnings).toHaveLength(1);
		// Coalescing still joins identical calls within the process.
		let runs = 0;
		const results = await Promise.all(
			Array.from({ length: 10 }, () =>
				store.caches.coalesce('same', async () => {
					runs++;
					await delay(30);
					return runs;
				}),
			),
		);
		expect(runs).toBe(1);
		expect(results.filter((result) => result.shared)).toHaveLength(9);
	});

	it('rides out a connection the server drops while idle, without a warning', async () => {
		const logger = recordingLogger();
		const connection = kit.connect(kit.newPrefix(), {}, logger);
		const store = openStore(connection, new ProcessState({ instanceId: 'host-a' }));
		await store.records.set('k', 1);
		const id = await connection.client.client('ID');
		const reconnected = new Promise((resolve) => connection.client.once('ready', resolve));
		const admin = new Redis({ port: server.port, lazyConnect: true });
		await admin.connect();
		try {
			await admin.client('KILL', 'ID', String(id));
		} finally {
			admin.disconnect();
		}
		// The next execution comes along after the client noticed (an idle connection has all the time it needs).
		await delay(20);
		const started = Date.now();
		for (let round = 0; round < 5; round++) await oneExecution(store, round);
		await reconnected;
		expect(Date.now() - started).toBeLessThan(1000);
		expect(store.backend).toBe('redis');
		expect(logger.warnings).toEqual([]);
		expect(await connection.client.client('ID')).not.toBe(id);
	});

	it('never logs the password, even when Redis refuses it', async () => {
		const admin = new Redis({ port: server.port, lazyConnect: true });
		await admin.connect();
		await admin.config('SET', 'requirepass', 'the-right-password');
		try {
			const logger = recordingLogger();
			const connection = kit.connect(kit.newPrefix(), { password: 'a-wrong-password' }, logger);
			const store = openStore(connection, new ProcessState({ instanceId: 'host-a' }));
			await store.records.set('k', 1);
			await eventually(() => store.backend === 'degraded', 2000, 'the refused connection degrades the store');
			expect(logger.warnings).toHaveLength(1);
			expect(logger.warnings[0]).toMatch(/WRONGPASS|NOAUTH/);
			expect(logger.warnings.join('\n')).not.toContain('a-wrong-password');
		} finally {
			await admin.config('SET', 'requirepass', '');
			admin.disconnect();
		}
	});
});
