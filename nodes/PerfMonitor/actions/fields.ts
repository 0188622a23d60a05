import type { INodeProperties } from 'n8n-workflow';

/** Operations that read metrics, and so take a scope and a time window. */
export const READING_OPERATIONS = [
	'checkAlerts',
	'exportPrometheus',
	'getBottlenecks',
	'getCacheStatistics',
	'getHealthScore',
	'getMetrics',
	'getTrends',
	'renderChart',
	'renderDashboard',
];

export const scopeField: INodeProperties = {
	displayName: 'Scope',
	name: 'scope',
	type: 'options',
	options: [
		{ name: 'This Workflow', value: 'workflow' },
		{
			name: 'All Workflows',
			value: 'all',
			description: 'Every workflow this n8n process has seen (in queue mode: this worker only, unless state is in Redis)',
		},
	],
	default: 'workflow',
	displayOptions: { show: { operation: [...READING_OPERATIONS, 'reset'] } },
};

export const windowFields: INodeProperties[] = [
	{
		displayName: 'Time Window',
		name: 'window',
		type: 'options',
		options: [
			{ name: 'Last 5 Minutes', value: 5 },
			{ name: 'Last Hour', value: 60 },
			{ name: 'Last 24 Hours', value: 1440 },
			{ name: 'Custom', value: 0 },
		],
		default: 60,
		description: 'Metrics are kept per minute for 24 hours',
		displayOptions: { show: { operation: READING_OPERATIONS.filter((operation) => operation !== 'checkAlerts') } },
	},
	{
		displayName: 'Window (Minutes)',
		name: 'customMinutes',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1440 },
		default: 30,
		displayOptions: { show: { window: [0], operation: READING_OPERATIONS } },
	},
];
