import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { readText } from '../../shared/textParameter';
import type { OperationContext } from './operationContext';

/** The span name, shared by Span Start and Span End. */
export const spanNameField: INodeProperties = {
	displayName: 'Span Name',
	name: 'spanName',
	type: 'string',
	default: 'span',
	required: true,
	description: 'A Span End with the same name measures the time since this Span Start, in the same execution',
	displayOptions: { show: { operation: ['spanStart', 'spanEnd'] } },
};

/** The span's key: one execution's span of this name, so parallel executions never end each other's spans. */
export function spanKey({ context }: OperationContext): { key: string; name: string } {
	const name = readText(context.getNodeParameter('spanName', 0, 'span'), (problem) =>
		new NodeOperationError(context.getNode(), `'Span Name' ${problem}`, { itemIndex: 0 }),
	).trim();
	if (!name) throw new NodeOperationError(context.getNode(), "'Span Name' is empty", { itemIndex: 0 });
	return { key: `${context.getWorkflow().id ?? 'unsaved'}|${context.getExecutionId()}|${name}`, name };
}

/** Span Start and Span End let the items through unchanged. */
export const passThrough = ({ items }: OperationContext) => items.map((item, index) => ({ ...item, pairedItem: { item: index } }));
