import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { route } from '../../shared/router';
import * as call from './call.operation';

/** The node's one operation; the state backend is reported in each item's `optimization`. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, { operations: { call }, metadataField: 'optimization' });
}
