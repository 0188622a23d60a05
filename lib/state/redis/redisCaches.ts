import type { CacheLimits } from '../../cache';
import type { NearDuplicateIndex } from '../../dedup';
import type { ProcessState } from '../processState';
import type { CacheHandle, CacheReport, MetricsQuery, StateCaches } from '../stateStore';
import type { RedisConnection } from './connection';
import { readCacheReport, RedisCacheHandle } from './redisCache';
import { workflowsInScope } from './redisMetrics';

/**
 * One workflow's caches in Redis, coalescing across every process on the server. The near-duplicate index
 * stays in this process's memory: each process rebuilds it from the answers it sees.
 */
export class RedisCaches implements StateCaches {
	constructor(
		private readonly connection: RedisConnection,
		private readonly process: ProcessState,
		private readonly workflowId: string,
	) {}

	open(namespace: string, limits: CacheLimits): CacheHandle {
		return new RedisCacheHandle(this.connection, this.workflowId, namespace, limits);
	}

	/**
	 * Runs `work` once for concurrent callers with the same key across every process on this Redis; the others
	 * get its result with `shared: true`. The result must be JSON-serialisable: other processes receive a JSON copy
	 * (callers in this process get the value itself). A value JSON cannot carry (`undefined` members, a `Date`)
	 * reaches the other processes as JSON makes it. Never fails because of Redis: without it, the work runs here.
	 */
	coalesce<T>(key: string, work: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
		return this.connection.flights.run(key, work);
	}

	nearDuplicates(namespace: string): NearDuplicateIndex {
		return this.process.workflow(this.workflowId).nearDuplicates(namespace);
	}

	async reports(scope: MetricsQuery['scope'] = 'workflow'): Promise<CacheReport[]> {
		const { connection } = this;
		return connection.run(async (client) => {
			const workflowIds = await workflowsInScope(connection, client, this.workflowId, scope);
			const namespaces = await Promise.all(workflowIds.map(async (workflowId) => (await client.smembers(connection.keys.caches(workflowId))).sort()));
			return Promise.all(
				workflowIds.flatMap((workflowId, index) =>
					namespaces[index].map((namespace) => readCacheReport(connection, client, workflowId, namespace)),
				),
			);
		});
	}
}
