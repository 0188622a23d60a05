import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { StateStore } from '../../lib/state';

/** What every operation gets: the n8n context, the workflow's state, the input items, the time, and its settings. */
export interface OperationContext<Settings = undefined> {
	context: IExecuteFunctions;
	store: StateStore;
	items: INodeExecutionData[];
	now: number;
	settings: Settings;
}

/** An operation returns one array of items per output (Check Alerts has two). */
export type OperationResult = INodeExecutionData[][];

/** One `*.operation.ts` module: its own fields (with displayOptions) and its work. */
export interface NodeOperation<Settings = undefined> {
	description: INodeProperties[];
	/**
	 * Reads what needs no state (settings, credentials) before the state is opened, so that a bad setting fails
	 * without touching the workflow's state or needing the Redis credential.
	 */
	readSettings?: (context: IExecuteFunctions) => Settings | Promise<Settings>;
	execute: (operation: OperationContext<Settings>) => Promise<OperationResult>;
}
