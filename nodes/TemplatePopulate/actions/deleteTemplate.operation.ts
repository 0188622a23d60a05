import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { runItems } from '../../shared/itemRunner';
import type { OperationContext, OperationResult } from '../../shared/operation';
import { workflowLibrary } from './templateLibrary';

export const description: INodeProperties[] = [
	{
		displayName: 'Template ID',
		name: 'templateId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { operation: ['deleteTemplate'] } },
	},
];

/** Removes one template per item from the workflow library; `deleted` says whether it was there. */
export async function execute({ context, store }: OperationContext): Promise<OperationResult> {
	const library = workflowLibrary(store);
	return [
		await runItems({ context, store }, async (itemIndex) => {
			const id = String(context.getNodeParameter('templateId', itemIndex, '')).trim();
			if (!id) throw new NodeOperationError(context.getNode(), `Item ${itemIndex}: 'Template ID' is empty`, { itemIndex });
			return { json: { id, deleted: await library.delete(id) }, pairedItem: { item: itemIndex } };
		}),
	];
}
