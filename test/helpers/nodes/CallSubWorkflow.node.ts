import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/** Calls a sub-workflow by id with all input items, as the Execute Workflow node does. Test-only. */
export class CallSubWorkflow implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Call Sub-Workflow',
		name: 'callSubWorkflow',
		group: ['transform'],
		version: 1,
		description: 'Runs a sub-workflow',
		defaults: { name: 'Call Sub-Workflow' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Workflow ID', name: 'workflowId', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const result = await this.executeWorkflow(
			{ id: this.getNodeParameter('workflowId', 0) as string },
			this.getInputData(),
			undefined,
			{
				executionMode: this.getMode(),
				parentExecution: { executionId: this.getExecutionId(), workflowId: this.getWorkflow().id ?? '' },
			},
		);
		return [(result.data[0] ?? []).map((item, index) => ({ json: item.json, pairedItem: { item: index } }))];
	}
}
