import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { route } from '../../shared/router';
import * as dispatch from './dispatch.operation';

/** The node's one operation; the state backend is reported in each item's `_batch`. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, { operations: { dispatch }, metadataField: '_batch' });
}
