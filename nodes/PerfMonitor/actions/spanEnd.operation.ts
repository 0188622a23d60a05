import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { UNIT_OPERATIONS } from '../../../lib/metrics';
import { passThrough, spanKey } from './span';
import type { OperationContext, OperationResult } from './operationContext';

export const description: INodeProperties[] = [
	{
		displayName: 'Add Duration Field',
		name: 'addDurationField',
		type: 'boolean',
		default: false,
		description: 'Whether to add the span\'s duration to each item as `spanDurationMs`; otherwise items pass through unchanged',
		displayOptions: { show: { operation: ['spanEnd'] } },
	},
];

/** Records the span as a metric event of component "<span name>", operation `span`; items pass through. */
export async function execute(operation: OperationContext): Promise<OperationResult> {
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
