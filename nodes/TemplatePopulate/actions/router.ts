import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { StateStore } from '../../../lib/state';
import { continuingOnFail } from '../../shared/continueOnFail';
import { withStateStore } from '../../shared/state';
import { deleteTemplate, findTemplate, listTemplates, saveTemplate } from './libraryOperations';
import { populate } from './populate.operation';

type Operation = (context: IExecuteFunctions, store: StateStore, items: INodeExecutionData[]) => Promise<INodeExecutionData[][]>;

const OPERATIONS: Record<string, Operation> = { deleteTemplate, findTemplate, listTemplates, populate, saveTemplate };

/** Runs the chosen operation; with continue-on-fail a failure that is not one item's becomes an error item for each input item. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await continuingOnFail(this, async () => {
		const operation = this.getNodeParameter('operation', 0) as string;
		const run = OPERATIONS[operation];
		if (!run) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
		return await withStateStore(this, '_template', async (store) => await run(this, store, this.getInputData()));
	});
}
