import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { errorClassOf, errorItem, toNodeError } from './errors';

/**
 * One error item per input item for a failure that is not any one item's (settings, the target, the state
 * backend). Each carries `error` and `errorClass` and is paired with its input item, or goes to the error output
 * when the node uses "continue (using error output)". `outputCount` is the node's own number of outputs; the
 * others stay empty.
 */
export function errorItemsForAll(context: IExecuteFunctions, error: unknown, outputCount = 1): INodeExecutionData[][] {
	const node = context.getNode();
	const inputCount = Math.max(1, context.getInputData().length);
	const errorClass = errorClassOf(error);
	const items = Array.from({ length: inputCount }, (_, itemIndex) => errorItem(node, toNodeError(node, error, 0), itemIndex, errorClass));
	return [items, ...Array.from({ length: outputCount - 1 }, (): INodeExecutionData[] => [])];
}

/**
 * Runs a node's whole work. When the node continues on fail and the work throws, n8n would pass the input items
 * on unchanged, which looks like success: here every input item becomes an error item instead.
 */
export async function continuingOnFail(
	context: IExecuteFunctions,
	work: () => Promise<INodeExecutionData[][]>,
	outputCount = 1,
): Promise<INodeExecutionData[][]> {
	try {
		return await work();
	} catch (error) {
		if (!context.continueOnFail()) throw error;
		return errorItemsForAll(context, error, outputCount);
	}
}
