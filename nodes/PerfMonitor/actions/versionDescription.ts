/* eslint-disable n8n-nodes-base/node-filename-against-convention -- the description lives beside the node class, as in n8n's own versioned nodes */
import type { INodeTypeDescription } from 'n8n-workflow';
import * as analyzeExecutions from './analyzeExecutions.operation';
import * as configure from './configure.operation';
import { scopeField, windowFields } from './fields';
import * as getMetrics from './getMetrics.operation';
import * as renderChart from './renderChart.operation';
import * as renderDashboard from './renderDashboard.operation';
import { listOutputField } from './operationContext';
import * as spanEnd from './spanEnd.operation';
import * as spanStart from './spanStart.operation';
import * as trendOptions from './trendOptions';
import { stateFields } from '../../shared/stateBackend';
import { savedWorkflowsField } from './savedWorkflows';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Perf Monitor',
	name: 'perfMonitor',
	icon: 'file:perfMonitor.svg',
	group: ['transform'],
	version: [1],
	defaultVersion: 1,
	subtitle: '={{ $parameter["operation"] }}',
	description: "Metrics, bottlenecks, alerts, health, trends, Prometheus text and charts for the Perf Optimizer nodes and, from n8n's saved executions, every node",
	defaults: { name: 'Perf Monitor' },
	inputs: ['main'],
	// Check Alerts sends alerts on a second output, so users can wire Slack or email to it alone.
	outputs: `={{ $parameter["operation"] === "checkAlerts" ? [{ "type": "main", "displayName": "Report" }, { "type": "main", "displayName": "Alerts" }] : [{ "type": "main" }] }}`,
	usableAsTool: true,
	credentials: [
		// Literal, not shared: n8n's lint rules read credential entries from the description's own source.
		// n8n's own credential for its public API (base URL and API key): Analyze Executions reads saved executions with
		// it, and the reading operations every workflow's saved state ("Include Workflows Not Run Since the Restart").
		// One entry: n8n finds a credential by its name, so a second entry of the same name would never be consulted.
		// Optional in the panel because the reading operations need it only with that option on; both uses say clearly
		// when it is missing.
		{
			name: 'n8nApi',
			required: false,
			displayOptions: {
				show: {
					operation: [
						'analyzeExecutions',
						'checkAlerts',
						'exportPrometheus',
						'getBottlenecks',
						'getCacheStatistics',
						'getHealthScore',
						'getMetrics',
						'getTrends',
						'renderChart',
						'renderDashboard',
					],
				},
			},
		},
		{ name: 'perfOptimizerRedisApi', required: true, displayOptions: { show: { stateBackend: ['redis'] } }, testedBy: 'perfOptimizerRedisConnectionTest' },
	],
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Analyze Executions', value: 'analyzeExecutions', action: 'Analyze saved executions', description: "Per-node timing of every node from n8n's saved executions, recorded with the other metrics" },
				{ name: 'Check Alerts', value: 'checkAlerts', action: 'Check alert rules', description: 'Evaluate threshold and burn-rate rules; firing alerts leave on the Alerts output' },
				{ name: 'Configure', value: 'configure', action: 'Store monitor settings', description: 'Save thresholds, alert rules and the SLO with the workflow' },
				{ name: 'Export Prometheus', value: 'exportPrometheus', action: 'Export prometheus text', description: 'Metrics in Prometheus text format, for a Respond to Webhook node' },
				{ name: 'Get Bottlenecks', value: 'getBottlenecks', action: 'Get bottlenecks', description: 'Components ranked by share of time and latency regression, with suggestions' },
				{ name: 'Get Cache Statistics', value: 'getCacheStatistics', action: 'Get cache statistics', description: 'Entries, bytes, hits, misses, evictions and savings per cache' },
				{ name: 'Get Health Score', value: 'getHealthScore', action: 'Get the health score', description: 'A 0-100 score with a per-component breakdown' },
				{ name: 'Get Metrics', value: 'getMetrics', action: 'Get metrics', description: 'Calls, latency percentiles, errors, hit rates, tokens and cost per component' },
				{ name: 'Get Trends', value: 'getTrends', action: 'Get trends', description: 'Per-minute or per-hour series with smoothing and a forecast' },
				{ name: 'Render Chart', value: 'renderChart', action: 'Render a chart', description: 'A PNG chart of latency, throughput and hit rate' },
				{ name: 'Render Dashboard', value: 'renderDashboard', action: 'Render a dashboard', description: 'One self-contained HTML page with health, latency, costs, bottlenecks, caches, alerts and trends' },
				{ name: 'Reset', value: 'reset', action: 'Reset metrics', description: 'Forget the metrics of the scope' },
				{ name: 'Span End', value: 'spanEnd', action: 'End a span', description: 'Record the time since the Span Start with the same name; items pass through' },
				{ name: 'Span Start', value: 'spanStart', action: 'Start a span', description: 'Start timing a stretch of the workflow; items pass through' },
			],
			default: 'getMetrics',
		},
		...analyzeExecutions.description,
		scopeField,
		savedWorkflowsField,
		...windowFields,
		...getMetrics.description,
		listOutputField,
		...trendOptions.description,
		...renderChart.description,
		...renderDashboard.description,
		...configure.description,
		...spanStart.description,
		...spanEnd.description,
		...stateFields,
	],
};
