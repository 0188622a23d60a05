import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { route } from '../../shared/router';
import * as analyzeExecutions from './analyzeExecutions.operation';
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

const operations = {
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

/** Each operation runs once per execution (reports cover all input items); Check Alerts has a second output. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, { operations, outputCount: (operation) => (operation === 'checkAlerts' ? 2 : 1) });
}
