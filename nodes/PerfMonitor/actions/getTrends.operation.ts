import type { IDataObject } from 'n8n-workflow';
import { summaryItem, type OperationContext, type OperationResult } from './operationContext';
import { readTrend } from './trendOptions';

export async function execute(operation: OperationContext): Promise<OperationResult> {
	const { scope, window, trend } = await readTrend(operation);
	return [[summaryItem({ scope, windowMinutes: window.minutes, ...trend } as unknown as IDataObject, operation.items)]];
}
