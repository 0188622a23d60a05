/**
 * The Redis state backend against the in-process (static-data) backend, in the same run, on a real redis-server
 * started on loopback for the benchmark.
 * - Cache-hit path: the AI engine's whole hit path (request key, cache lookup, answer) through each backend's
 *   cache handle; latency one call at a time, and throughput with 64 calls in flight.
 * - Coalescing across processes: two OS processes each make 500 identical calls at the same moment through the
 *   Redis store; the provider stub counts the calls that reached it (1 is the goal: no duplicate spend).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runAiCall, type AiCallSettings } from '../lib/aiCall';
import { resolveEndpoint } from '../lib/providers';
import type { CacheHandle, StateStore } from '../lib/state';
import { ProcessState, StaticDataStateStore } from '../lib/state';
import { createRedisConnection, FallbackStateStore, RedisStateStore } from '../lib/state/redis';
import { defaultRetryPolicy } from '../lib/resilience';
import { systemClock } from '../lib/shared/clock';
import { silentLogger } from '../lib/shared/logger';
import { startLlmStub } from '../test/helpers/llmStub';
import { startRedisServer } from '../test/helpers/redisServer';
import { printFigures, printTable, round } from './report';

const SEQUENTIAL_CALLS = 5_000;
const CONCURRENT_CALLS = 20_000;
const IN_FLIGHT = 64;
const PROCESSES = 2;
const IDENTICAL_CALLS = 1_000;

const settings: AiCallSettings = {
	cacheMode: 'readWrite',
	cacheTtlMs: 3_600_000,
	cacheNonZeroTemperature: true,
	persist: true,
	compression: 'off',
	retryPolicy: defaultRetryPolicy,
	price: null,
};
const request = {
	model: 'gpt-4o-mini',
	system: 'You label customer messages.',
	messages: [{ role: 'user' as const, content: 'Classify the sentiment of: "The parcel arrived on time."' }],
	temperature: 0,
	responseFormat: 'text' as const,
};

function hitPath(store: StateStore, cache: CacheHandle) {
	const deps = {
		client: {
			endpoint: resolveEndpoint({ provider: 'openAiCompatible', baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'sk-bench' }),
			send: async () => ({ text: 'positive', finishReason: 'stop', usage: { input: 20, output: 1, cachedInput: 0, cacheWrite: 0 }, hasToolCalls: false, toolCalls: [], raw: {} }),
		},
		cache,
		coalesce: <T>(key: string, work: () => Promise<T>) => store.caches.coalesce(key, work),
		sleep: async () => undefined,
		clock: systemClock,
		now: () => performance.now(),
	};
	return async () => {
		const outcome = await runAiCall(request, settings, deps);
		if (outcome.cache === 'miss') return;
		if (outcome.cache !== 'hit') throw new Error(`expected a cache hit, got ${outcome.cache}`);
	};
}

async function measure(call: () => Promise<void>) {
	await call(); // fills the cache
	for (let index = 0; index < 500; index++) await call();
	const latencies: number[] = [];
	for (let index = 0; index < SEQUENTIAL_CALLS; index++) {
		const started = performance.now();
		await call();
		latencies.push(performance.now() - started);
	}
	latencies.sort((a, b) => a - b);
	const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 1000;
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: IN_FLIGHT }, async () => {
			while (next++ < CONCURRENT_CALLS) await call();
		}),
	);
	const perSecond = CONCURRENT_CALLS / ((performance.now() - started) / 1000);
	return { p50Us: at(0.5), p99Us: at(0.99), perSecond };
}

async function coalesceAcrossProcesses(redisPort: number, stubBaseUrl: string) {
	const startAt = Date.now() + 3000; // both processes loaded and connected before the burst
	const children = Array.from({ length: PROCESSES }, () =>
		spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'redis', 'coalesceProcess.ts'), String(redisPort), stubBaseUrl, String(IDENTICAL_CALLS / PROCESSES), String(startAt)], {
			stdio: ['ignore', 'pipe', 'inherit'],
			env: process.env,
		}),
	);
	const outputs = await Promise.all(
		children.map(
			(child) =>
				new Promise<{ ran: number; shared: number }>((resolve, reject) => {
					let text = '';
					child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
					child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(text.trim().split('\n').pop() as string)) : reject(new Error(`coalescing process exited with ${code}`))));
				}),
		),
	);
	return outputs;
}

async function main() {
	const redis = await startRedisServer();
	const stub = await startLlmStub({ apiKey: 'sk-bench', latencyMs: 300 });
	try {
		const local = new ProcessState({ instanceId: 'bench-local' });
		const localStore = new StaticDataStateStore({ process: local, workflowId: 'bench', staticData: {}, logger: silentLogger });
		const localHits = await measure(hitPath(localStore, localStore.caches.open('ai:bench', { maxEntries: 1000, ttlMs: 3_600_000 })));

		const connection = createRedisConnection({ port: redis.port, keyPrefix: 'bench:' });
		const shared = new ProcessState({ instanceId: 'bench-redis' });
		const redisStore = new FallbackStateStore({
			primary: new RedisStateStore({ connection, process: shared, workflowId: 'bench' }),
			fallback: new StaticDataStateStore({ process: shared, workflowId: 'bench', staticData: {}, logger: silentLogger }),
		});
		const redisHits = await measure(hitPath(redisStore, redisStore.caches.open('ai:bench', { maxEntries: 1000, ttlMs: 3_600_000 })));
		if (redisStore.backend !== 'redis') throw new Error(`the Redis store degraded during the benchmark (${redisStore.backend})`);
		await connection.close();

		stub.reset();
		const processes = await coalesceAcrossProcesses(redis.port, stub.openAiBaseUrl);
		const upstream = stub.upstreamCalls();

		printTable(`Cache-hit path of the AI engine (${SEQUENTIAL_CALLS.toLocaleString('en')} sequential calls; ${CONCURRENT_CALLS.toLocaleString('en')} with ${IN_FLIGHT} in flight)`, [
			{ backend: 'in-process (static data)', p50Us: round(localHits.p50Us, 1), p99Us: round(localHits.p99Us, 1), hitsPerSecond: Math.round(localHits.perSecond) },
			{ backend: 'Redis (loopback)', p50Us: round(redisHits.p50Us, 1), p99Us: round(redisHits.p99Us, 1), hitsPerSecond: Math.round(redisHits.perSecond) },
			{ backend: 'ratio Redis / in-process', p50Us: round(redisHits.p50Us / localHits.p50Us, 1), p99Us: round(redisHits.p99Us / localHits.p99Us, 1), hitsPerSecond: round(redisHits.perSecond / localHits.perSecond, 3) },
		]);
		printTable(`Coalescing across ${PROCESSES} processes (${IDENTICAL_CALLS.toLocaleString('en')} identical calls at once, provider answers in 300 ms)`, [
			...processes.map((result, index) => ({ process: `process ${index + 1}`, ranTheWork: result.ran, sharedAResult: result.shared })),
			{ process: 'provider stub saw', ranTheWork: upstream, sharedAResult: '' },
		]);
		printFigures({
			bench: 'redis',
			hitLatencyRatioRedisToLocal: round(redisHits.p50Us / localHits.p50Us, 2),
			hitP50UsLocal: round(localHits.p50Us, 2),
			hitP50UsRedis: round(redisHits.p50Us, 2),
			hitThroughputRatioRedisToLocal: round(redisHits.perSecond / localHits.perSecond, 3),
			hitsPerSecondLocal: Math.round(localHits.perSecond),
			hitsPerSecondRedis: Math.round(redisHits.perSecond),
			upstreamCallsFor1000Identical: upstream,
		});
	} finally {
		await stub.close();
		await redis.stop();
	}
}

void main();
