import { readScope, summaryItem, type OperationContext, type OperationResult } from './operationContext';

export async function execute({ context, store, items, now }: OperationContext): Promise<OperationResult> {
	const scope = readScope(context);
	const workflows = await store.metrics.reset(scope);
	return [[summaryItem({ reset: true, scope, workflows, at: new Date(now).toISOString() }, items)]];
}
