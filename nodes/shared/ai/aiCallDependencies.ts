import { performance } from 'node:perf_hooks';
import type { INode } from 'n8n-workflow';
import type { AiCallDependencies } from '../../../lib/aiCall';
import { createChatClient, type ProviderEndpoint } from '../../../lib/providers';
import { sleepWithSignal } from '../../../lib/resilience';
import { systemClock } from '../../../lib/shared/clock';
import { WorkSlicer } from '../../../lib/shared/yieldToEventLoop';
import type { StateStore } from '../../../lib/state';
import type { AiNodeSettings } from './readAiSettings';

export interface AiCallWiring {
	node: INode;
	store: StateStore;
	endpoint: ProviderEndpoint;
	settings: AiNodeSettings;
	/** Cancels every call, e.g. n8n's execution cancel signal. */
	signal?: AbortSignal;
	/** Provider requests in flight at once; undefined = no bound (a chat model's calls come one agent step at a time). */
	maxConcurrent?: number;
	slicer?: WorkSlicer;
}

/**
 * What the AI engine needs, wired the same way for both AI nodes: the cache of the node's scope, coalescing and
 * the near-duplicate index of the workflow's state, the rate limiter shared per credential, one client on the
 * resolved endpoint. So a cached answer, a limit or a retry means the same under Optimized AI Call and under an agent.
 */
export function aiCallDependencies(wiring: AiCallWiring): AiCallDependencies {
	const { node, store, endpoint, settings } = wiring;
	const namespace = settings.cacheScope === 'workflow' ? 'ai:workflow' : `ai:node:${node.name}`;
	const cache =
		settings.engine.cacheMode !== 'off'
			? store.caches.open(namespace, { maxEntries: settings.cacheMaxEntries, ttlMs: settings.engine.cacheTtlMs })
			: undefined;
	const rateLimited = settings.requestsPerMinute > 0 || settings.tokensPerMinute > 0;
	return {
		client: createChatClient(endpoint, { timeoutMs: settings.timeoutMs, maxConcurrent: wiring.maxConcurrent }),
		cache,
		coalesce: <T>(key: string, work: () => Promise<T>) => store.caches.coalesce(key, work),
		nearDuplicates: settings.engine.nearDuplicateThreshold !== undefined ? store.caches.nearDuplicates(namespace) : undefined,
		// Keyed by the credential's fingerprint: every AI node on the same account draws from the same budget.
		rateLimiter: rateLimited
			? store.limiters.open(endpoint.fingerprint, { requestsPerMinute: settings.requestsPerMinute, tokensPerMinute: settings.tokensPerMinute })
			: undefined,
		sleep: sleepWithSignal,
		clock: systemClock,
		now: () => performance.now(),
		signal: wiring.signal,
		slicer: wiring.slicer ?? new WorkSlicer(),
	};
}
