import type { INodeProperties } from 'n8n-workflow';
import { isUnitOfWork } from '../../../lib/metrics';
import { buildTrend } from '../../../lib/monitor/analysis';
import { readScope, readWindow, type OperationContext } from './operationContext';

export const description: INodeProperties[] = [
	{
		displayName: 'Bucket',
		name: 'bucket',
		type: 'options',
		options: [
			{ name: 'Per Minute', value: 'minute' },
			{ name: 'Per Hour', value: 'hour' },
		],
		default: 'minute',
		displayOptions: { show: { operation: ['getTrends', 'renderChart'] } },
	},
];

/** The trend both Get Trends and Render Chart show: per-minute points of units of work merged into the chosen bucket. */
export async function readTrend({ context, store, now }: OperationContext) {
	const scope = readScope(context);
	const { current } = readWindow(context, now);
	const bucket = context.getNodeParameter('bucket', 0, 'minute') === 'hour' ? 'hour' : 'minute';
	const points = await store.metrics.minuteSeries({ scope, sinceMs: current.sinceMs, untilMs: current.untilMs }, isUnitOfWork);
	return { scope, window: current, trend: buildTrend(points, { bucket, sinceMs: current.sinceMs, untilMs: current.untilMs }) };
}
