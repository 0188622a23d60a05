import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { rollupTotal, summarize } from '../../../lib/metrics';
import { processStatsSampler } from '../../../lib/monitor/processStats';
import { persistenceReports } from '../../../lib/state';
import { componentsOf, componentSummary } from './components';
import { listItems, readScope, readWindow, summaryItem, type OperationContext, type OperationResult } from './operationContext';

export const description: INodeProperties[] = [
	{
		displayName: 'Output',
		name: 'outputMode',
		type: 'options',
		options: [
			{ name: 'One Summary Item', value: 'summary', description: 'Totals, components and process stats in one item' },
			{ name: 'One Item per Component', value: 'perComponent' },
		],
		default: 'summary',
		displayOptions: { show: { operation: ['getMetrics'] } },
	},
];

export async function execute({ context, store, items, now }: OperationContext): Promise<OperationResult> {
	const scope = readScope(context);
	const { current } = readWindow(context, now);
	const readings = await store.metrics.read({ scope, sinceMs: current.sinceMs, untilMs: current.untilMs });
	const components = componentsOf(readings).map((component) => componentSummary(component, current.minutes));
	components.sort((a, b) => b.calls - a.calls);
	if (context.getNodeParameter('outputMode', 0, 'summary') === 'perComponent') {
		return [listItems(components as unknown as IDataObject[], items)];
	}
	return [
		[
			summaryItem(
				{
					scope,
					window: { minutes: current.minutes, from: new Date(current.sinceMs).toISOString(), to: new Date(now).toISOString() },
					total: summarize(rollupTotal(readings), current.minutes) as unknown as IDataObject,
					components: components as unknown as IDataObject[],
					process: processStatsSampler().read() as unknown as IDataObject,
					// What saving state to static data cost n8n in this process: only that backend writes it per execution.
					...(store.backend === 'static-data' ? { persistence: persistenceReports(store.process, store.workflowId, scope) as unknown as IDataObject[] } : {}),
				},
				items,
			),
		],
	];
}
