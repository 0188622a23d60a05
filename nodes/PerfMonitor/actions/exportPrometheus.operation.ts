import type { INodeProperties } from 'n8n-workflow';
import { PROMETHEUS_CONTENT_TYPE, toPrometheusText } from '../../../lib/monitor/prometheus';
import { processStatsSampler } from '../../../lib/monitor/processStats';
import { readScope, summaryItem, type OperationContext, type OperationResult } from './operationContext';

/** Only the scope, window and output fields it shares with other operations (fields.ts, operationContext.ts). */
export const description: INodeProperties[] = [];

/** All-time totals (Prometheus counters are cumulative); return `text` with a Respond to Webhook node for scraping. */
export async function execute({ context, store, items }: OperationContext): Promise<OperationResult> {
	const readings = await store.metrics.read({ scope: readScope(context) });
	const text = await toPrometheusText(readings, { process: processStatsSampler().read() });
	return [[summaryItem({ contentType: PROMETHEUS_CONTENT_TYPE, text }, items)]];
}
