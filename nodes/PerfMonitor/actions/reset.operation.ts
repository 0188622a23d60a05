import type { INodeProperties } from 'n8n-workflow';
import { readScope, summaryItem, type OperationContext, type OperationResult } from './operationContext';

/** Only the scope field it shares with the reading operations (fields.ts). */
export const description: INodeProperties[] = [];

export async function execute({ context, store, items, now }: OperationContext): Promise<OperationResult> {
	const scope = readScope(context);
	const workflows = await store.metrics.reset(scope);
	return [[summaryItem({ reset: true, scope, workflows, at: new Date(now).toISOString() }, items)]];
}
