import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { summaryItem, type OperationContext, type OperationResult } from './operationContext';
import { readTrend } from './trendOptions';

/** Only the scope, window and output fields it shares with other operations (fields.ts, operationContext.ts). */
export const description: INodeProperties[] = [];

export async function execute(operation: OperationContext): Promise<OperationResult> {
	const { scope, window, trend } = await readTrend(operation);
	return [[summaryItem({ scope, windowMinutes: window.minutes, ...trend } as unknown as IDataObject, operation.items)]];
}
