import type { INodeProperties } from 'n8n-workflow';
import { passThrough, spanKey, spanNameField } from './span';
import type { OperationContext, OperationResult } from './operationContext';

export const description: INodeProperties[] = [spanNameField];

export async function execute(operation: OperationContext): Promise<OperationResult> {
	operation.store.process.markSpanStart(spanKey(operation).key, operation.now);
	return [passThrough(operation)];
}
