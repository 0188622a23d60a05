import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { NodeOperation } from '../../shared/operation';
import { route } from '../../shared/router';
import * as analyzeExecutions from './analyzeExecutions.operation';
import { READING_OPERATIONS } from './fields';
import { coverSavedWorkflows, stampCoverage } from './savedWorkflows';
import * as checkAlerts from './checkAlerts.operation';
import * as configure from './configure.operation';
import * as exportPrometheus from './exportPrometheus.operation';
import * as getBottlenecks from './getBottlenecks.operation';
import * as getCacheStatistics from './getCacheStatistics.operation';
import * as getHealthScore from './getHealthScore.operation';
import * as getMetrics from './getMetrics.operation';
import * as getTrends from './getTrends.operation';
import * as renderChart from './renderChart.operation';
import * as renderDashboard from './renderDashboard.operation';
import * as reset from './reset.operation';
import * as spanEnd from './spanEnd.operation';
import * as spanStart from './spanStart.operation';

const allOperations = {
	analyzeExecutions,
	checkAlerts,
	configure,
	exportPrometheus,
	getBottlenecks,
	getCacheStatistics,
	getHealthScore,
	getMetrics,
	getTrends,
	renderChart,
	renderDashboard,
	reset,
	spanEnd,
	spanStart,
};

/** A reading operation that first takes in the saved state of workflows not run since the restart, when asked. */
function coveringSavedWorkflows<S>(operation: NodeOperation<S>): NodeOperation<S> {
	return {
		...operation,
		execute: async (input) => {
			const coverage = await coverSavedWorkflows(input.context, input.store);
			const outputs = await operation.execute(input);
			if (coverage) stampCoverage(outputs, coverage);
			return outputs;
		},
	};
}

const operations = Object.fromEntries(
	Object.entries(allOperations).map(([name, operation]) => [
		name,
		READING_OPERATIONS.includes(name) ? coveringSavedWorkflows(operation as NodeOperation<unknown>) : operation,
	]),
);

/** Each operation runs once per execution (reports cover all input items); Check Alerts has a second output. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, { operations, outputCount: (operation) => (operation === 'checkAlerts' ? 2 : 1) });
}
