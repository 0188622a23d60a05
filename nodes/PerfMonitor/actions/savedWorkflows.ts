import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { loadSavedStates, type SavedStatesCoverage, type SavedWorkflowPage, type StateStore } from '../../../lib/state';
import { READING_OPERATIONS } from './fields';

/** n8n's own credential for its public API (API key and base URL), from n8n-nodes-base. */
export const N8N_API_CREDENTIAL = 'n8nApi';

export const savedWorkflowsField: INodeProperties = {
	displayName: 'Include Workflows Not Run Since the Restart',
	name: 'includeSavedWorkflows',
	type: 'boolean',
	default: false,
	description:
		"Whether to read every workflow's saved state through n8n's public API (n8n API credential), so reports cover workflows this n8n process has not run since it started. Not needed with the Redis backend.",
	displayOptions: { show: { scope: ['all'], operation: READING_OPERATIONS } },
};

/** One page of `GET /workflows` of n8n's public API, with the credential's key. */
async function listPage(context: IExecuteFunctions, baseUrl: string, cursor?: string): Promise<SavedWorkflowPage> {
	const request: IHttpRequestOptions = {
		method: 'GET',
		url: `${baseUrl.replace(/\/+$/, '')}/workflows`,
		qs: { limit: 250, excludePinnedData: true, ...(cursor ? { cursor } : {}) },
		json: true,
	};
	const page = (await context.helpers.httpRequestWithAuthentication.call(context, N8N_API_CREDENTIAL, request)) as SavedWorkflowPage;
	if (!Array.isArray(page?.data)) throw new Error(`${request.url} did not answer with a list of workflows`);
	return page;
}

/**
 * Before a report over all workflows on static data: takes every workflow's saved state into this process when the
 * user asked for it. Returns what the report covers, for the output; undefined when not asked (or on Redis, which
 * already holds every workflow's state).
 */
export async function coverSavedWorkflows(context: IExecuteFunctions, store: StateStore): Promise<SavedStatesCoverage | undefined> {
	if (store.backend !== 'static-data') return undefined;
	if (context.getNodeParameter('scope', 0, 'workflow') !== 'all') return undefined;
	if (!context.getNodeParameter('includeSavedWorkflows', 0, false)) return undefined;
	let baseUrl: string;
	try {
		baseUrl = String((await context.getCredentials(N8N_API_CREDENTIAL)).baseUrl ?? '');
	} catch (error) {
		return { workflowsListed: 0, workflowsWithState: 0, loaded: 0, unreadable: [], complete: false, listingError: `the n8n API credential is not usable: ${(error as Error).message}` };
	}
	return await loadSavedStates(store.process, (cursor) => listPage(context, baseUrl, cursor));
}

/** Puts what the report covers into every item of its first output, as `workflowsCovered`. */
export function stampCoverage(outputs: Array<Array<{ json: IDataObject }>>, coverage: SavedStatesCoverage): void {
	for (const item of outputs[0] ?? []) item.json.workflowsCovered = coverage as unknown as IDataObject;
}
