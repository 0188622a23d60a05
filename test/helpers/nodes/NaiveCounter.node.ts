import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/** Counts executions the way n8n's docs suggest (`staticData.count++`): the baseline our state layer beats. Test-only. */
export class NaiveCounter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Naive Counter',
		name: 'naiveCounter',
		group: ['transform'],
		version: 1,
		description: 'Increments a static-data counter',
		defaults: { name: 'Naive Counter' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const staticData = this.getWorkflowStaticData('global');
		staticData.count = ((staticData.count as number) ?? 0) + 1;
		return [this.getInputData().map((item, index) => ({ json: { ...item.json, count: staticData.count }, pairedItem: { item: index } }))];
	}
}
