import type { IExecuteFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { ErrorClass } from '../../lib/metrics';

/** What lib errors may carry; read duck-typed so lib stays free of n8n. */
interface EngineErrorFacts {
	message?: string;
	status?: number;
	code?: string;
	errorClass?: ErrorClass;
	providerMessage?: string;
	description?: string;
}

/** What to do about provider error codes that a retry cannot fix and users confuse with a passing rate limit. */
const PROVIDER_CODE_ADVICE: Record<string, string> = {
	insufficient_quota:
		"Provider error code: insufficient_quota. The account's quota or credit is used up, so the request was not retried: check the plan and billing of the account behind the Optimized AI API credential.",
};

/** The metrics class of any error our engines or n8n throw. */
export function errorClassOf(error: unknown): ErrorClass {
	const facts = error as EngineErrorFacts;
	if (facts?.errorClass) return facts.errorClass;
	if (error instanceof NodeOperationError) return 'validation';
	return 'other';
}

/**
 * Turns an engine error into the n8n error for one item: `NodeApiError` with the HTTP status for remote failures,
 * `NodeOperationError` otherwise; both carry the item index so n8n points at the item.
 */
export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	const facts = (error ?? {}) as EngineErrorFacts;
	const message = facts.message ?? String(error);
	if (typeof facts.status === 'number') {
		const response: JsonObject = { message: facts.providerMessage ?? message, status: facts.status };
		if (facts.code) response.code = facts.code;
		return new NodeApiError(node, response, {
			message,
			description: facts.code ? (PROVIDER_CODE_ADVICE[facts.code] ?? `Provider error code: ${facts.code}`) : facts.description,
			httpCode: String(facts.status),
			itemIndex,
		});
	}
	const nodeError = new NodeOperationError(node, message, { itemIndex, description: facts.description });
	// n8n swaps messages that mention a network code (ECONNREFUSED, ...) for a generic sentence; ours name the
	// item, the batch and each endpoint's state, which users need more.
	nodeError.message = message;
	return nodeError;
}

/**
 * The item that carries an error when the node continues on fail; linked to its input item. With "continue
 * (using error output)" n8n needs the error object on the item to route it, and then shows only its message;
 * otherwise the item keeps the error class and HTTP code, which workflows can branch on.
 */
export function errorItem(node: INode, error: NodeApiError | NodeOperationError, itemIndex: number, errorClass: ErrorClass): INodeExecutionData {
	const json: JsonObject = { error: error.message, errorClass };
	if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
	if (error.description) json.errorDescription = error.description;
	const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	if (node.onError === 'continueErrorOutput') item.error = error;
	return item;
}

/**
 * The error item for an input item's failure when the node continues on fail; otherwise the failure as the n8n
 * error, thrown. `errorClass` defaults to the class of `error` itself.
 */
export function errorItemOrThrow(context: IExecuteFunctions, error: unknown, itemIndex: number, errorClass = errorClassOf(error)): INodeExecutionData {
	const node = context.getNode();
	const nodeError = toNodeError(node, error, itemIndex);
	if (!context.continueOnFail()) throw nodeError;
	return errorItem(node, nodeError, itemIndex, errorClass);
}

/**
 * Engine errors say what went wrong; users also need to know where (`Item 3: template 'invoice'`, `Batch 2 (items
 * 200-299)`). Our own n8n errors already say so and are kept; the class, HTTP status and description carry over.
 */
export function inContext(error: unknown, where: string): unknown {
	if (!(error instanceof Error) || error instanceof NodeOperationError) return error;
	const facts = error as EngineErrorFacts;
	return Object.assign(new Error(`${where}: ${error.message}`), {
		errorClass: facts.errorClass,
		status: facts.status,
		description: facts.description,
	});
}
