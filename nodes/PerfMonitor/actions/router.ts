import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { continuingOnFail } from '../../shared/continueOnFail';
import { withStateStore } from '../../shared/state';
import * as checkAlerts from './checkAlerts.operation';
import * as configure from './configure.operation';
import * as exportPrometheus from './exportPrometheus.operation';
import * as getBottlenecks from './getBottlenecks.operation';
import * as getCacheStatistics from './getCacheStatistics.operation';
import * as getHealthScore from './getHealthScore.operation';
import * as getMetrics from './getMetrics.operation';
import * as getTrends from './getTrends.operation';
import type { OperationContext, OperationResult } from './operationContext';
import * as renderChart from './renderChart.operation';
import * as reset from './reset.operation';
import * as span from './span.operation';

const OPERATIONS: Record<string, (operation: OperationContext) => Promise<OperationResult>> = {
	checkAlerts: checkAlerts.execute,
	configure: configure.execute,
	exportPrometheus: exportPrometheus.execute,
	getBottlenecks: getBottlenecks.execute,
	getCacheStatistics: getCacheStatistics.execute,
	getHealthScore: getHealthScore.execute,
	getMetrics: getMetrics.execute,
	getTrends: getTrends.execute,
	renderChart: renderChart.execute,
	reset: reset.execute,
	spanEnd: span.end,
	spanStart: span.start,
};

/**
 * Runs the chosen operation once per execution (reports cover all input items). With continue-on-fail an error
 * becomes an error item for each input item, on the first output (or the error output).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	return await continuingOnFail(
		this,
		async () => {
			const run = OPERATIONS[operation];
			if (!run) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
			const items = this.getInputData();
			return await withStateStore(this, undefined, async (store) => await run({ context: this, store, items, now: Date.now() }));
		},
		operation === 'checkAlerts' ? 2 : 1,
	);
}
