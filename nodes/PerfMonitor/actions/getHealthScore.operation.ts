import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { healthScore } from '../../../lib/monitor/analysis';
import { componentsOf } from './components';
import { readSettings } from './monitorSettings';
import { readScope, readWindow, summaryItem, type OperationContext, type OperationResult } from './operationContext';

/** Only the scope, window and output fields it shares with other operations (fields.ts, operationContext.ts). */
export const description: INodeProperties[] = [];

export async function execute({ context, store, items, now }: OperationContext): Promise<OperationResult> {
	const scope = readScope(context);
	const { current } = readWindow(context, now);
	const [readings, settings] = await Promise.all([
		store.metrics.read({ scope, sinceMs: current.sinceMs, untilMs: current.untilMs }),
		readSettings(store, context.logger),
	]);
	const health = healthScore(componentsOf(readings), { latencySloMs: settings.latencySloMs });
	return [[summaryItem({ windowMinutes: current.minutes, latencySloMs: settings.latencySloMs, ...health } as unknown as IDataObject, items)]];
}
