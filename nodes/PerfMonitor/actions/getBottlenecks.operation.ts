import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { findBottlenecks } from '../../../lib/monitor/analysis';
import { componentsOf } from './components';
import { listOutput, readScope, readWindow, type OperationContext, type OperationResult } from './operationContext';

/** Only the scope, window and output fields it shares with other operations (fields.ts, operationContext.ts). */
export const description: INodeProperties[] = [];

export async function execute({ context, store, items, now }: OperationContext): Promise<OperationResult> {
	const scope = readScope(context);
	const { current, previous } = readWindow(context, now);
	const [currentReadings, previousReadings] = await Promise.all([
		store.metrics.read({ scope, sinceMs: current.sinceMs, untilMs: current.untilMs }),
		store.metrics.read({ scope, sinceMs: previous.sinceMs, untilMs: previous.untilMs }),
	]);
	const ranked = findBottlenecks(componentsOf(currentReadings), componentsOf(previousReadings), current.minutes);
	const rows = ranked.map((bottleneck, index) => ({ rank: index + 1, windowMinutes: current.minutes, ...bottleneck }));
	return [listOutput(context, rows as unknown as IDataObject[], items, { key: 'bottlenecks', windowMinutes: current.minutes })];
}
