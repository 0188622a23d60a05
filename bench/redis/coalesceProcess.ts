/**
 * One "n8n worker" of the Redis coalescing benchmark, as a process of its own: waits until the start time it is
 * given, then makes `count` identical calls at once through the Redis store's `coalesce`, each of which would
 * call the provider stub. Prints one JSON line: how many of its calls ran the work and how many shared a result.
 *
 *   node -r ts-node/register/transpile-only bench/redis/coalesceProcess.ts <redisPort> <stubBaseUrl> <count> <startAtMs>
 */
import { ProcessState } from '../../lib/state';
import { createRedisConnection, RedisStateStore } from '../../lib/state/redis';

async function main(): Promise<void> {
	const [port, stubBaseUrl, count, startAt] = process.argv.slice(2);
	const connection = createRedisConnection({ port: Number(port), keyPrefix: 'bench:' });
	const store = new RedisStateStore({ connection, process: new ProcessState({ instanceId: `bench-${process.pid}` }), workflowId: 'bench' });
	await connection.run((client) => client.ping());
	await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
	const ask = async () => {
		const response = await fetch(`${stubBaseUrl}/chat/completions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
			body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'the same question' }] }),
		});
		return (await response.json()) as unknown;
	};
	const results = await Promise.all(Array.from({ length: Number(count) }, () => store.caches.coalesce('identical-request', ask)));
	const shared = results.filter((result) => result.shared).length;
	process.stdout.write(`${JSON.stringify({ ran: results.length - shared, shared })}\n`);
	await connection.close();
}

void main();
