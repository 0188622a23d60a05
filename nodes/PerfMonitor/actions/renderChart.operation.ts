import type { INodeProperties } from 'n8n-workflow';
import { renderTrendPng } from '../../../lib/monitor/chart';
import { summaryItem, type OperationContext, type OperationResult } from './operationContext';
import { readTrend } from './trendOptions';

const showForChart = { show: { operation: ['renderChart'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Chart Title',
		name: 'chartTitle',
		type: 'string',
		default: 'Perf Optimizer',
		displayOptions: showForChart,
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'The binary field that receives the PNG',
		displayOptions: showForChart,
	},
];

/** A PNG (n8n's binary viewer shows PNG, not SVG) of latency percentiles, throughput and hit rate. */
export async function execute(operation: OperationContext): Promise<OperationResult> {
	const { context, items } = operation;
	const { scope, window, trend } = await readTrend(operation);
	const title = String(context.getNodeParameter('chartTitle', 0, 'Perf Optimizer'));
	const field = String(context.getNodeParameter('binaryPropertyName', 0, 'data')) || 'data';
	const { png, width, height } = renderTrendPng(trend.points, { title: `${title} - last ${window.minutes} min` });
	const binary = await context.helpers.prepareBinaryData(png, 'perf-chart.png', 'image/png');
	return [[summaryItem({ scope, windowMinutes: window.minutes, bucket: trend.bucket, points: trend.points.length, width, height }, items, { [field]: binary })]];
}
