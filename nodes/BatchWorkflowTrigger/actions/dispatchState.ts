import { EndpointHealth, EndpointPools, healthzCheck, LoadBalancer, type BalancingStrategy } from '../../../lib/dispatch/webhook';
import { systemClock } from '../../../lib/shared/clock';
import { processSingletonFamily } from '../../../lib/state';
import type { BatchSettings } from './readSettings';

/** Connection pools per timeout and compression threshold, so keep-alive connections carry over between executions. */
export const dispatchPools = processSingletonFamily(
	'dispatch:pools',
	(settings: Pick<BatchSettings, 'gzipThresholdBytes' | 'timeoutMs'>) => `${settings.gzipThresholdBytes}:${settings.timeoutMs}`,
	(settings) => new EndpointPools({ gzipThresholdBytes: settings.gzipThresholdBytes, timeoutMs: settings.timeoutMs }),
);

/**
 * Endpoint health per failure threshold, cooldown and active check, so ejections carry over between executions.
 * Active health checks go through the pools of the first caller with these settings (any pools can send them).
 */
export const endpointHealth = processSingletonFamily(
	'dispatch:health',
	({ settings }: { settings: Pick<BatchSettings, 'failureThreshold' | 'cooldownMs' | 'activeHealthCheck'>; pools: EndpointPools }) =>
		`${settings.failureThreshold}:${settings.cooldownMs}:${settings.activeHealthCheck}`,
	({ settings, pools }) =>
		new EndpointHealth({
			clock: systemClock,
			failureThreshold: settings.failureThreshold,
			cooldownMs: settings.cooldownMs,
			activeCheck: settings.activeHealthCheck ? healthzCheck(pools) : undefined,
		}),
);

/** One balancer per workflow, node and strategy, so its turn order and pending counts carry over between executions. */
export const loadBalancers = processSingletonFamily(
	'dispatch:balancer',
	(balancer: { workflowId: string; nodeName: string; strategy: BalancingStrategy }) =>
		`${balancer.workflowId}:${balancer.nodeName}:${balancer.strategy}`,
	(balancer) => new LoadBalancer(balancer.strategy),
);
