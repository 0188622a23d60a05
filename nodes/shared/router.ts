import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { continuingOnFail } from './continueOnFail';
import type { NodeOperation } from './operation';
import { withStateStore } from './state';

export interface NodeRoutes {
	/** By the value of the node's "Operation" parameter; a node without one has a single entry. */
	operations: Record<string, NodeOperation<any>>;
	/** The object in each output item that gets `stateBackend` (see `withStateStore`); top level when undefined. */
	metadataField?: string;
	/** The node's number of outputs for an operation, when it has more than one. */
	outputCount?: (operation: string) => number;
}

/**
 * Runs the chosen operation once per execution, the same way for every node: its settings first, then its work
 * with the workflow's state (committed also after errors). With continue-on-fail a failure that is not one item's
 * becomes an error item for each input item, on the first output or the error output.
 */
export async function route(context: IExecuteFunctions, routes: NodeRoutes): Promise<INodeExecutionData[][]> {
	const names = Object.keys(routes.operations);
	const name = names.length === 1 ? names[0] : (context.getNodeParameter('operation', 0) as string);
	return await continuingOnFail(
		context,
		async () => {
			const operation = routes.operations[name];
			if (!operation) throw new NodeOperationError(context.getNode(), `The operation "${name}" is not supported`);
			const settings = await operation.readSettings?.(context);
			return await withStateStore(context, routes.metadataField, async (store) =>
				await operation.execute({ context, store, items: context.getInputData(), now: Date.now(), settings }),
			);
		},
		routes.outputCount?.(name) ?? 1,
	);
}
