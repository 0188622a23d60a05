import type { BoundedCache, CacheLimits } from '../../cache';
import type { NearDuplicateIndex } from '../../dedup';
import type { ProcessState } from '../processState';
import type { CacheHandle, CacheReport, MetricsQuery, StateCaches } from '../stateStore';
import type { WorkflowState } from '../workflowState';
import { statesInScope } from './scope';

/** The caches of one workflow in this process's memory; identical calls are coalesced within the process. */
export class MemoryCaches implements StateCaches {
	constructor(
		private readonly process: ProcessState,
		private readonly state: WorkflowState,
	) {}

	open(namespace: string, limits: CacheLimits): CacheHandle {
		return new MemoryCacheHandle(namespace, this.state.cache(namespace, limits));
	}

	async coalesce<T>(key: string, work: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
		return (await this.process.singleFlight.run(key, work)) as { value: T; shared: boolean };
	}

	nearDuplicates(namespace: string): NearDuplicateIndex {
		return this.state.nearDuplicates(namespace);
	}

	async reports(scope: MetricsQuery['scope'] = 'workflow'): Promise<CacheReport[]> {
		const reports: CacheReport[] = [];
		for (const state of statesInScope(this.process, this.state, scope)) {
			for (const [namespace, cache] of state.caches) {
				reports.push({ workflowId: state.workflowId, namespace, stats: cache.stats(), limits: { ...cache.currentLimits } });
			}
		}
		return reports;
	}
}

/** The asynchronous {@link CacheHandle} over an in-memory cache, so both backends look alike to nodes. */
class MemoryCacheHandle implements CacheHandle {
	constructor(
		readonly namespace: string,
		private readonly cache: BoundedCache,
	) {}

	async get(key: string) {
		return this.cache.get(key);
	}

	async set(key: string, value: Parameters<BoundedCache['set']>[1], options?: Parameters<BoundedCache['set']>[2]) {
		this.cache.set(key, value, options);
	}

	async delete(key: string) {
		return this.cache.delete(key);
	}

	async stats() {
		return this.cache.stats();
	}
}
