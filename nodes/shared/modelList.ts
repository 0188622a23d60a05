import type { ILoadOptionsFunctions, INodeListSearchResult, INodeProperties, ISupplyDataFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { listModels, resolveEndpoint, type ProviderEndpoint, type ProviderModel } from '../../lib/providers';
import { isPlainObject } from '../../lib/shared/json';
import { readText } from './textParameter';

/** The editor waits on the list; a provider that does not answer within this is reported rather than waited on. */
const MODEL_LIST_TIMEOUT_MS = 15_000;

/**
 * The Model parameter of the AI nodes: picked from the list the provider gives for the node's Optimized AI API
 * credential, or typed as an ID (a model the list does not show, or an expression).
 */
export function modelLocatorField(defaultModel: string): INodeProperties {
	return {
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: defaultModel },
		required: true,
		description: 'The model: pick it from the list the provider gives for the credential, or type its ID',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a model...',
				typeOptions: { searchListMethod: 'searchModels', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. gpt-4o-mini, claude-sonnet-4-6, llama3.1',
			},
		],
	};
}

/**
 * The models the credential's account can use whose id or name contains `filter` (any case): what the Model
 * list shows.
 */
export async function searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const node = this.getNode();
	let endpoint: ProviderEndpoint;
	try {
		endpoint = resolveEndpoint(await this.getCredentials('optimizedAiApi'));
	} catch (error) {
		throw new NodeOperationError(node, error as Error);
	}
	let models: ProviderModel[];
	try {
		models = await listModels(endpoint, { timeoutMs: MODEL_LIST_TIMEOUT_MS });
	} catch (error) {
		const message = `Could not load the models with the Optimized AI API credential: ${(error as Error).message}`;
		const nodeError = new NodeOperationError(node, message, {
			description: "Check the credential's API Key and Base URL, or choose 'ID' and type the model ID",
		});
		// n8n swaps messages that mention a network code (ECONNREFUSED, ...) for a generic sentence that names no credential.
		nodeError.message = message;
		throw nodeError;
	}
	const needle = (filter ?? '').trim().toLowerCase();
	const matches = needle === '' ? models : models.filter((model) => `${model.id}\n${model.name ?? ''}`.toLowerCase().includes(needle));
	return { results: matches.map((model) => ({ name: model.name ?? model.id, value: model.id })) };
}

/** For a node's `methods`, beside its other methods. */
export const modelListMethods = { listSearch: { searchModels } };

/**
 * The model ID a Model parameter holds: the text of the version 1 string field, or the value of the Model
 * list (either mode; an expression in it is already resolved). `fail` names the field; empty is an error.
 */
export function modelIdFrom(value: unknown, fail: (problem: string) => Error): string {
	const id = readText(isPlainObject(value) && 'mode' in value ? value.value : value, fail).trim();
	if (id === '') throw fail('is empty');
	return id;
}

/** The item's model ID, for nodes that read their parameters straight from n8n; errors name the item and 'Model'. */
export function readModelId(context: Pick<ISupplyDataFunctions, 'getNode' | 'getNodeParameter'>, itemIndex: number): string {
	return modelIdFrom(
		context.getNodeParameter('model', itemIndex, ''),
		(problem) => new NodeOperationError(context.getNode(), `Item ${itemIndex}: 'Model' ${problem}`, { itemIndex }),
	);
}
