import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { lastMinutes, type TimeWindow } from '../../../lib/monitor/timeWindow';
import { SettingsReader } from '../../shared/settings';
import { windowFields } from './fields';

export type { OperationContext, OperationResult } from '../../shared/operation';

export function readScope(context: IExecuteFunctions): 'workflow' | 'all' {
	return context.getNodeParameter('scope', 0, 'workflow') === 'all' ? 'all' : 'workflow';
}

export function readWindow(context: IExecuteFunctions, now: number): { current: TimeWindow; previous: TimeWindow } {
	const settings = new SettingsReader(context, windowFields);
	const choice = Number(settings.raw('window', 60));
	// A chosen window is checked too: an expression may give any number. The message names the custom field.
	const minutes = settings.checkNumber('customMinutes', choice === 0 ? settings.raw('customMinutes', 30) : choice, { fallback: 30, minimum: 1, maximum: 1440 });
	return lastMinutes(minutes, now);
}

/** One item that sums up all input items: it is paired with every one of them. */
export function summaryItem(json: IDataObject, items: INodeExecutionData[], binary?: INodeExecutionData['binary']): INodeExecutionData {
	const item: INodeExecutionData = { json, pairedItem: items.length > 0 ? items.map((_, index) => ({ item: index })) : { item: 0 } };
	if (binary) item.binary = binary;
	return item;
}

/**
 * For operations that list rows (bottlenecks, caches): one item per row, or one item holding the list under
 * `listKey`, which a Respond to Webhook node can return as it is and which exists even when the list is empty.
 */
export const listOutputField: INodeProperties = {
	displayName: 'Output',
	name: 'listOutput',
	type: 'options',
	options: [
		{ name: 'One Item per Row', value: 'perRow' },
		{ name: 'One Item with a List', value: 'oneItem', description: 'Also answers when the list is empty; handy for webhook responses' },
	],
	default: 'perRow',
	displayOptions: { show: { operation: ['getBottlenecks', 'getCacheStatistics'] } },
};

export function listOutput(
	context: IExecuteFunctions,
	rows: IDataObject[],
	items: INodeExecutionData[],
	list: { key: string; windowMinutes: number },
): INodeExecutionData[] {
	if (context.getNodeParameter('listOutput', 0, 'perRow') === 'oneItem') {
		return [summaryItem({ windowMinutes: list.windowMinutes, count: rows.length, [list.key]: rows }, items)];
	}
	return listItems(rows, items);
}

/** Several result items (one per component or cache), each paired with every input item. */
export function listItems(rows: IDataObject[], items: INodeExecutionData[]): INodeExecutionData[] {
	return rows.map((row) => summaryItem(row, items));
}
