import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { StateStore } from '../../../lib/state';
import { withStateStore } from '../../shared/state';
import { deleteTemplate, findTemplate, listTemplates, saveTemplate } from './libraryOperations';
import { populate } from './populate.operation';

type Operation = (context: IExecuteFunctions, store: StateStore, items: INodeExecutionData[]) => Promise<INodeExecutionData[][]>;

const OPERATIONS: Record<string, Operation> = { deleteTemplate, findTemplate, listTemplates, populate, saveTemplate };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = OPERATIONS[operation];
	if (!run) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	return await withStateStore(this, '_template', async (store) => {
		try {
			return await run(this, store, this.getInputData());
		} catch (error) {
			// Library-wide failures (an unreadable folder) are not any one item's: with continue-on-fail they become one error item.
			if (!this.continueOnFail() || (error as NodeOperationError).context?.itemIndex !== 0 || operation === 'populate') throw error;
			return [[{ json: { error: (error as Error).message }, pairedItem: { item: 0 } }]];
		}
	});
}
