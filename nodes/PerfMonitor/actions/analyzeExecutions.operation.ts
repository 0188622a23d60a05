import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
	analyzeExecutions,
	ExecutionsApi,
	ExecutionsApiError,
	instanceBaseUrl,
	MAX_PAGE_SIZE,
	normalizeApiBaseUrl,
	parseProgress,
	progressKey,
	type ApiFetch,
	type ReadProgress,
} from '../../../lib/monitor/executions';
import type { JsonValue } from '../../../lib/shared/json';
import { SettingsReader } from '../../shared/settings';
import { summaryItem, type OperationContext, type OperationResult } from './operationContext';

const showForAnalyze = { show: { operation: ['analyzeExecutions'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Workflows',
		name: 'workflowsToRead',
		type: 'options',
		options: [
			{ name: 'All Workflows', value: 'all', description: 'Every workflow the API key may read' },
			{ name: 'Chosen Workflows', value: 'chosen' },
		],
		default: 'chosen',
		displayOptions: showForAnalyze,
	},
	{
		displayName: 'Workflow IDs',
		name: 'workflowIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1a2B3c4D5e6F7g8H, 9i0J1k2L3m4N5o6P',
		description: "IDs of the workflows to analyze, separated by commas (the ID is in the workflow's URL)",
		displayOptions: { show: { operation: ['analyzeExecutions'], workflowsToRead: ['chosen'] } },
	},
	{
		displayName: 'Look Back (Hours)',
		name: 'lookBackHours',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 720 },
		default: 24,
		description: 'How far back the first analysis of a workflow reads; later runs read only executions saved since the run before',
		displayOptions: showForAnalyze,
	},
	{
		displayName: 'Max Executions per Run',
		name: 'maxExecutions',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1_000_000 },
		default: 10000,
		description: 'The run stops after about this many executions (whole pages); the next run goes on where it stopped',
		displayOptions: showForAnalyze,
	},
	{
		displayName: 'Page Size',
		name: 'pageSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_PAGE_SIZE },
		default: 50,
		description: 'Executions asked of the API per request; each page is reduced to timings before the next. A page is parsed at once, item data included: lower it when executions carry large items.',
		displayOptions: showForAnalyze,
	},
];

export interface AnalyzeSettings {
	apiBaseUrl: string;
	apiKey: string;
	workflowIds: string[] | 'all';
	lookBackHours: number;
	maxExecutions: number;
	pageSize: number;
}

/** The credential and the fields, checked before the state is opened. */
export async function readSettings(context: IExecuteFunctions): Promise<AnalyzeSettings> {
	const node = context.getNode();
	const fail = (problem: string) => new NodeOperationError(node, problem, { itemIndex: 0 });
	let credentials;
	try {
		credentials = await context.getCredentials('n8nApi');
	} catch (error) {
		throw fail(`Analyze Executions needs an n8n API credential (n8n's public API: base URL and API key): ${(error as Error).message}`);
	}
	let apiBaseUrl: string;
	try {
		apiBaseUrl = normalizeApiBaseUrl(credentials.baseUrl);
	} catch (error) {
		throw fail((error as Error).message);
	}
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
	if (!apiKey) throw fail("'API Key' of the n8n API credential is empty");
	const settings = new SettingsReader(context, description);
	let workflowIds: AnalyzeSettings['workflowIds'] = 'all';
	if (settings.raw('workflowsToRead', 'chosen') !== 'all') {
		const raw = settings.raw('workflowIds', '');
		if (typeof raw !== 'string') throw settings.fail('workflowIds', 'must be text: workflow IDs separated by commas');
		workflowIds = [...new Set(raw.split(',').map((id) => id.trim()).filter((id) => id !== ''))];
		if (workflowIds.length === 0) throw settings.fail('workflowIds', 'is empty: give at least one workflow ID, or choose All Workflows');
		const bad = workflowIds.find((id) => !/^[A-Za-z0-9_-]{1,64}$/.test(id));
		if (bad !== undefined) throw settings.fail('workflowIds', `has "${bad.slice(0, 40)}", which is not a workflow ID`);
	}
	return {
		apiBaseUrl,
		apiKey,
		workflowIds,
		lookBackHours: settings.number('lookBackHours', { fallback: 24, minimum: 1, maximum: 720 }),
		maxExecutions: settings.number('maxExecutions', { fallback: 10000, minimum: 1, maximum: 1_000_000 }),
		pageSize: settings.number('pageSize', { fallback: 50, minimum: 1, maximum: MAX_PAGE_SIZE }),
	};
}

/** Node's fetch: the API is read with keep-alive, and stops when the execution is cancelled. */
const nodeFetch: ApiFetch = async (url, init) => await fetch(url, init);

/**
 * Reads the saved executions of the chosen workflows through n8n's public API, records each node run in the
 * workflow's metrics (so every other operation reports it) and returns the per-workflow, per-node report of the
 * executions read in this run. An API error ends the run after storing what was read, then fails the node.
 */
export async function execute({ context, store, items, now, settings }: OperationContext<AnalyzeSettings>): Promise<OperationResult> {
	const api = new ExecutionsApi({ apiBaseUrl: settings.apiBaseUrl, apiKey: settings.apiKey }, nodeFetch, context.getExecutionCancelSignal?.());
	const workflows = settings.workflowIds === 'all' ? await listWorkflows(api) : settings.workflowIds.map((id) => ({ id }));
	const progress = new Map<string, ReadProgress>();
	for (const workflow of workflows) progress.set(workflow.id, parseProgress((await store.records.get(progressKey(workflow.id)))?.value));
	const result = await analyzeExecutions({
		api,
		workflows,
		progress,
		startedAfterMs: now - settings.lookBackHours * 3_600_000,
		pageSize: settings.pageSize,
		maxExecutions: settings.maxExecutions,
		instanceUrl: instanceBaseUrl(settings.apiBaseUrl),
		record: (event) => store.metrics.record(event),
	});
	for (const [workflowId, read] of result.progress) await store.records.set(progressKey(workflowId), read as unknown as JsonValue);
	if (result.failure) {
		const { failure } = result;
		throw new ExecutionsApiError(`${failure.message} (the ${result.executionsRead} executions read before it are recorded and will not be read again)`, {
			status: failure.status,
			errorClass: failure.errorClass,
			description: failure.description,
		});
	}
	const report: IDataObject = {
		readAt: new Date(now).toISOString(),
		executionsRead: result.executionsRead,
		pagesRead: result.pagesRead,
		unfinishedSkipped: result.unfinishedSkipped,
		capped: result.capped,
		workflows: result.workflows as unknown as IDataObject[],
	};
	if (result.capped) report.hint = `Stopped at Max Executions per Run (${settings.maxExecutions}); the next run goes on where this one stopped.`;
	return [[summaryItem(report, items)]];
}

async function listWorkflows(api: ExecutionsApi): Promise<Array<{ id: string; name?: string }>> {
	try {
		return await api.workflows();
	} catch (error) {
		if (error instanceof ExecutionsApiError) {
			throw new ExecutionsApiError(`Could not list the workflows to analyze: ${error.message}`, { status: error.status, errorClass: error.errorClass, description: error.description });
		}
		throw error;
	}
}
