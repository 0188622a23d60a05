import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { readText } from '../../shared/textParameter';
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
	const text = (name: string, field: string, fallback: string) =>
		readText(context.getNodeParameter(name, 0, fallback), (problem) => new NodeOperationError(context.getNode(), `'${field}' ${problem}`, { itemIndex: 0 }));
	const title = text('chartTitle', 'Chart Title', 'Perf Optimizer');
	const field = text('binaryPropertyName', 'Put Output File in Field', 'data').trim() || 'data';
	const { png, width, height } = await renderTrendPng(trend.points, { title: `${title} - last ${window.minutes} min` });
	const binary = await context.helpers.prepareBinaryData(png, 'perf-chart.png', 'image/png');
	return [[summaryItem({ scope, windowMinutes: window.minutes, bucket: trend.bucket, points: trend.points.length, width, height }, items, { [field]: binary })]];
}
