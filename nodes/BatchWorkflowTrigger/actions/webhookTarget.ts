import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { readText } from '../../shared/textParameter';
import { batchAuthHeaders } from '../../../credentials/BatchWebhookAuthApi.credentials';
import { dispatchBatch, parseWebhookEndpoints } from '../../../lib/dispatch/webhook';
import { defaultRetryPolicy, sleepWithSignal } from '../../../lib/resilience';
import { systemClock } from '../../../lib/shared/clock';
import type { StateStore } from '../../../lib/state';
import { dispatchPools, endpointHealth, loadBalancers } from './dispatchState';
import type { BatchTarget } from './batchTarget';
import type { BatchSettings } from './readSettings';

/** What a receiving workflow answers: all items (an array), `{ items: [...] }`, or one item. */
function answerItems(json: unknown): unknown[] {
	if (Array.isArray(json)) return json;
	if (json && typeof json === 'object' && Array.isArray((json as { items?: unknown }).items)) return (json as { items: unknown[] }).items;
	return json === null || json === undefined || json === '' ? [] : [json];
}

/**
 * POSTs batches to the webhook URLs. Connection pools, endpoint health and the balancer live for the whole
 * process, so keep-alive connections and ejections carry over between executions.
 */
export async function webhookTarget(context: IExecuteFunctions, store: StateStore, settings: BatchSettings): Promise<BatchTarget> {
	const node = context.getNode();
	const urls = readText(context.getNodeParameter('webhookUrls', 0, ''), (problem) => new NodeOperationError(node, `'Webhook URLs' ${problem}`, { itemIndex: 0 }))
		.split(/[\n,]/)
		.map((url) => url.trim())
		.filter((url) => url.length > 0);
	const headers = context.getNodeParameter('authentication', 0, 'none') === 'credential' ? batchAuthHeaders(await context.getCredentials('batchWebhookAuthApi')) : {};
	let endpoints: ReturnType<typeof parseWebhookEndpoints>;
	try {
		endpoints = parseWebhookEndpoints(urls, headers);
	} catch (error) {
		throw new NodeOperationError(node, `'Webhook URLs': ${(error as Error).message}`, { itemIndex: 0 });
	}
	const pools = dispatchPools(store.process, settings);
	const health = endpointHealth(store.process, { settings, pools });
	const strategy = settings.loadBalancing === 'leastPending' ? 'least-pending' : 'round-robin';
	const balancer = loadBalancers(store.process, { workflowId: store.workflowId, nodeName: node.name, strategy });
	const label = endpoints.map((endpoint) => endpoint.url).join(', ');
	return {
		label,
		cacheTarget: { webhookUrls: urls },
		async send(batchId, items, signal) {
			const result = await dispatchBatch(
				{ id: batchId, body: { batchId, items } },
				{
					endpoints,
					balancer,
					health,
					pools,
					retryPolicy: { ...defaultRetryPolicy, maxAttempts: settings.maxAttempts },
					sleep: sleepWithSignal,
					clock: systemClock,
					signal,
					timeoutMs: settings.timeoutMs,
					// Per-endpoint latency and failures, so Perf Monitor can point at one slow or failing receiver.
					onAttempt: (report) =>
						store.metrics.record({
							nodeType: node.type,
							nodeName: node.name,
							operation: `POST ${report.endpoint}`,
							durationMs: report.latencyMs,
							outcome: report.outcome,
						}),
				},
			);
			return { items: answerItems(result.json), via: result.endpoint, attempts: result.attempts, bytesRaw: result.bytesRaw, bytesSent: result.bytesSent };
		},
	};
}
