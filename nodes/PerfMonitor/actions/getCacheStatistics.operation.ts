import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { cacheRows } from './cacheStatistics';
import { listOutput, readScope, readWindow, type OperationContext, type OperationResult } from './operationContext';

/** Only the scope, window and output fields it shares with other operations (fields.ts, operationContext.ts). */
export const description: INodeProperties[] = [];

export async function execute({ context, store, items, now }: OperationContext): Promise<OperationResult> {
	const scope = readScope(context);
	const { current } = readWindow(context, now);
	const [reports, readings] = await Promise.all([
		store.caches.reports(scope),
		store.metrics.read({ scope, sinceMs: current.sinceMs, untilMs: current.untilMs }),
	]);
	const rows = cacheRows(reports, readings, current.minutes);
	return [listOutput(context, rows as unknown as IDataObject[], items, { key: 'caches', windowMinutes: current.minutes })];
}
