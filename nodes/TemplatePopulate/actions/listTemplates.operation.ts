import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { OperationContext, OperationResult } from '../../shared/operation';
import { describeTemplate, loadLibrary, pairedWithAllInputs } from './templateLibrary';

/** Also shown for Find Template, which limits and describes its matches the same way. */
export const description: INodeProperties[] = [
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { operation: ['findTemplate', 'listTemplates'] } },
	},
	{
		displayName: 'Include Body',
		name: 'includeBody',
		type: 'boolean',
		default: false,
		description: 'Whether to include each template\'s text',
		displayOptions: { show: { operation: ['findTemplate', 'listTemplates'] } },
	},
];

/** One item per template, each paired with all input items (the list covers them all). */
export async function execute({ context, store, items }: OperationContext): Promise<OperationResult> {
	const library = await loadLibrary(context, store);
	const limit = Number(context.getNodeParameter('limit', 0, 50));
	const includeBody = context.getNodeParameter('includeBody', 0, false) as boolean;
	return [library.documents.slice(0, limit).map((document) => ({ json: describeTemplate(document, includeBody) as IDataObject, pairedItem: pairedWithAllInputs(items) }))];
}
