import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { openStateStore } from '../../../nodes/shared/state';

/**
 * The smallest node that uses the state layer the way our real nodes do: open, record one metric per item,
 * commit, and report the workflow's running total. Test-only.
 */
export class MetricProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Metric Probe',
		name: 'metricProbe',
		group: ['transform'],
		version: 1,
		description: 'Records one metric event per item',
		defaults: { name: 'Metric Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Duration (Ms)', name: 'durationMs', type: 'number', default: 5 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const store = await openStateStore(this);
		const items = this.getInputData();
		try {
			items.forEach((_item, itemIndex) => {
				store.metrics.record({
					nodeType: this.getNode().type,
					nodeName: this.getNode().name,
					operation: 'probe',
					durationMs: this.getNodeParameter('durationMs', itemIndex) as number,
				});
			});
		} finally {
			await store.commit();
		}
		const readings = await store.metrics.read();
		const total = readings.reduce((sum, reading) => sum + reading.counters.calls, 0);
		return [items.map((item, itemIndex) => ({ json: { ...item.json, totalCalls: total }, pairedItem: { item: itemIndex } }))];
	}
}
