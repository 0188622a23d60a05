import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { UNIT_OPERATIONS } from '../../../lib/metrics';
import { readText } from '../../shared/textParameter';
import type { OperationContext, OperationResult } from './operationContext';

const showForSpans = { show: { operation: ['spanStart', 'spanEnd'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Span Name',
		name: 'spanName',
		type: 'string',
		default: 'span',
		required: true,
		description: 'A Span End with the same name measures the time since this Span Start, in the same execution',
		displayOptions: showForSpans,
	},
	{
		displayName: 'Add Duration Field',
		name: 'addDurationField',
		type: 'boolean',
		default: false,
		description: 'Whether to add the span\'s duration to each item as `spanDurationMs`; otherwise items pass through unchanged',
		displayOptions: { show: { operation: ['spanEnd'] } },
	},
];

function spanKey({ context }: OperationContext): { key: string; name: string } {
	const name = readText(context.getNodeParameter('spanName', 0, 'span'), (problem) =>
		new NodeOperationError(context.getNode(), `'Span Name' ${problem}`, { itemIndex: 0 }),
	).trim();
	if (!name) throw new NodeOperationError(context.getNode(), "'Span Name' is empty", { itemIndex: 0 });
	return { key: `${context.getWorkflow().id ?? 'unsaved'}|${context.getExecutionId()}|${name}`, name };
}

const passThrough = ({ items }: OperationContext) => items.map((item, index) => ({ ...item, pairedItem: { item: index } }));

export async function start(operation: OperationContext): Promise<OperationResult> {
	operation.store.process.markSpanStart(spanKey(operation).key, operation.now);
	return [passThrough(operation)];
}

/** Records the span as a metric event of component "<span name>", operation `span`; items pass through. */
export async function end(operation: OperationContext): Promise<OperationResult> {
	const { context, store, now } = operation;
	const { key, name } = spanKey(operation);
	const startedAt = store.process.takeSpanStart(key);
	if (startedAt === undefined) {
		throw new NodeOperationError(context.getNode(), `No Span Start named "${name}" ran earlier in this execution`, {
			itemIndex: 0,
			description: 'Put a Perf Monitor node with operation Span Start and the same span name before this one.',
		});
	}
	const durationMs = Math.max(0, now - startedAt);
	store.metrics.record({ nodeType: context.getNode().type, nodeName: name, operation: UNIT_OPERATIONS.span, durationMs, items: operation.items.length });
	if (!context.getNodeParameter('addDurationField', 0, false)) return [passThrough(operation)];
	return [passThrough(operation).map((item) => ({ ...item, json: { ...item.json, spanDurationMs: durationMs } }))];
}
