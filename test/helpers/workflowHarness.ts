import { Container } from '@n8n/di';
import { BinaryDataService, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ExecuteWorkflowData,
	ExecuteWorkflowOptions,
	ICredentialsHelper,
	IDataObject,
	IExecuteWorkflowInfo,
	INode,
	INodeExecutionData,
	IConnections,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeOperationError, Workflow, createRunExecutionData, mergeRunsPerBranch } from 'n8n-workflow';
import { HarnessNodeTypes } from './nodeTypes';

/** A workflow as n8n exports it (only the parts execution needs). */
export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IDataObject;
}

/**
 * What n8n's database keeps per workflow that matters to us: the workflow and its static data. Runs read
 * static data whole at start and write it whole at the end, only for non-manual modes and ids of at most
 * 21 characters: n8n's own rules, so concurrent runs race exactly as they do in n8n (last writer wins).
 */
export class WorkflowDatabase {
	private readonly rows = new Map<string, { workflow: WorkflowJson; staticData: IDataObject }>();

	add(workflow: WorkflowJson & { id: string }): void {
		this.rows.set(workflow.id, { workflow, staticData: {} });
	}

	workflow(id: string): WorkflowJson | undefined {
		return this.rows.get(id)?.workflow;
	}

	/** A copy of the stored static data, as n8n hands it to an execution. */
	readStaticData(id: string | undefined): IDataObject {
		const row = id === undefined ? undefined : this.rows.get(id);
		return row ? (JSON.parse(JSON.stringify(row.staticData)) as IDataObject) : {};
	}

	writeStaticData(id: string, staticData: IDataObject): void {
		const row = this.rows.get(id);
		if (row) row.staticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
	}
}

export interface HarnessOptions {
	nodeTypes: HarnessNodeTypes;
	database?: WorkflowDatabase;
	credentialsHelper?: ICredentialsHelper;
}

export interface RunOptions {
	/** @default 'trigger' (a production mode, whose static data n8n saves) */
	mode?: WorkflowExecuteMode;
	/** Items fed to the start node. @default [{}] */
	input?: IDataObject[];
	/** @default the first node without incoming connections */
	startNode?: string;
	/** Cancels the execution, as the editor's Stop button does, once this promise resolves. */
	cancelWhen?: Promise<unknown>;
}

export interface HarnessRun {
	run: IRun;
	executionId: string;
	status: IRun['status'];
	/** The run's error message, if it failed. */
	error?: string;
	/** Static data as n8n would save it after this run; undefined when n8n would not save (manual, unchanged, bad id). */
	savedStaticData?: IDataObject;
	/** Output items (json only) of a node's output. */
	json(nodeName: string, outputIndex?: number, runIndex?: number): IDataObject[];
	/** Output items (full) of a node's output. */
	items(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** The error a node's run recorded, if any. */
	nodeError(nodeName: string, runIndex?: number): string | undefined;
}

const BASE_URL = 'http://localhost:5678';
let executionCounter = 0;

function isWorkflowIdValid(id: string | undefined): id is string {
	return typeof id === 'string' && id.length > 0 && id.length <= 21;
}

/**
 * Runs workflows in process through n8n-core's real `WorkflowExecute`: real parameter resolution,
 * expressions, paired items, continue-on-fail and sub-workflows, with no n8n server.
 */
export class WorkflowHarness {
	readonly database: WorkflowDatabase;
	private readonly nodeTypes: HarnessNodeTypes;
	private readonly credentialsHelper: ICredentialsHelper;

	constructor(options: HarnessOptions) {
		this.nodeTypes = options.nodeTypes;
		this.database = options.database ?? new WorkflowDatabase();
		this.credentialsHelper = options.credentialsHelper ?? ({} as ICredentialsHelper);
	}

	async run(workflowJson: WorkflowJson, options: RunOptions = {}): Promise<HarnessRun> {
		// Read before the first await: n8n reads static data when the execution is created, so concurrent
		// executions all start from the same stored copy.
		const staticData = this.database.readStaticData(workflowJson.id);
		await Container.get(BinaryDataService).init();
		const mode = options.mode ?? 'trigger';
		const executionId = String(++executionCounter);
		const workflowId = workflowJson.id ?? 'harness-wf';
		const workflow = new Workflow({
			id: workflowId,
			name: workflowJson.name ?? 'Test workflow',
			nodes: workflowJson.nodes,
			connections: workflowJson.connections,
			active: false,
			nodeTypes: this.nodeTypes,
			staticData,
			settings: workflowJson.settings,
		});
		const workflowData: IWorkflowBase = {
			id: workflowId,
			name: workflow.name ?? 'Test workflow',
			nodes: workflowJson.nodes,
			connections: workflowJson.connections,
			active: false,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
			activeVersionId: null,
			settings: workflowJson.settings,
		};
		const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
		let changedStaticData: IDataObject | undefined;
		hooks.addHandler('workflowExecuteAfter', (_run, newStaticData) => {
			changedStaticData = newStaticData ? (JSON.parse(JSON.stringify(newStaticData)) as IDataObject) : undefined;
		});

		const startNode = this.startNode(workflowJson, options.startNode);
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [
					{
						node: workflow.getNode(startNode)!,
						data: { main: [(options.input ?? [{}]).map((json) => ({ json }))] },
						source: null,
					},
				],
			},
		});
		const additionalData = this.additionalData(hooks, executionId, workflowId);
		const execution = new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
		void options.cancelWhen?.then(() => execution.cancel());
		const run = await execution;

		// n8n's save rule (hookFunctionsSave): not for manual runs, not for invalid ids, only when changed.
		const saved = mode !== 'manual' && isWorkflowIdValid(workflowJson.id) ? changedStaticData : undefined;
		if (saved && workflowJson.id) this.database.writeStaticData(workflowJson.id, saved);
		return describeRun(run, executionId, saved);
	}

	private startNode(workflowJson: WorkflowJson, requested?: string): string {
		if (requested) return requested;
		const targets = new Set<string>();
		for (const outputs of Object.values(workflowJson.connections)) {
			for (const connections of outputs.main ?? []) for (const connection of connections ?? []) targets.add(connection.node);
		}
		const start = workflowJson.nodes.find((node) => !targets.has(node.name) && !node.disabled);
		if (!start) throw new Error('The workflow has no start node');
		return start.name;
	}

	private additionalData(hooks: ExecutionLifecycleHooks, executionId: string, workflowId: string): IWorkflowExecuteAdditionalData {
		return {
			hooks,
			executionId,
			workflowId,
			credentialsHelper: this.credentialsHelper,
			currentNodeExecutionIndex: 0,
			variables: {},
			restApiUrl: `${BASE_URL}/rest`,
			instanceBaseUrl: BASE_URL,
			formBaseUrl: `${BASE_URL}/form`,
			formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
			formTestBaseUrl: `${BASE_URL}/form-test`,
			webhookBaseUrl: `${BASE_URL}/webhook`,
			webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
			webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
			mcpBaseUrl: `${BASE_URL}/mcp`,
			mcpTestBaseUrl: `${BASE_URL}/mcp-test`,
			logAiEvent: () => undefined,
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			startRunnerTask: async () => {
				throw new Error('The test harness has no task runner (Code node)');
			},
			executeWorkflow: async (info: IExecuteWorkflowInfo, _data: unknown, options: ExecuteWorkflowOptions) =>
				await this.executeSubWorkflow(info, options),
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	/** What n8n does for `this.executeWorkflow()`: run the referenced workflow in process, mode `integrated`. */
	private async executeSubWorkflow(info: IExecuteWorkflowInfo, options: ExecuteWorkflowOptions): Promise<ExecuteWorkflowData> {
		const subWorkflow = info.code
			? ({ ...info.code, id: info.code.id ?? info.id } as WorkflowJson)
			: info.id
				? this.database.workflow(info.id)
				: undefined;
		if (!subWorkflow) throw new Error(`Workflow with id "${info.id}" does not exist`);
		const input = (options.inputData ?? [{ json: {} }]).map((item) => item.json);
		const running = this.run(subWorkflow, { mode: options.executionMode ?? 'integrated', input });
		if (options.doNotWaitToFinish) {
			running.catch(() => undefined);
			return { executionId: 'pending', data: [null] };
		}
		const result = await running;
		if (result.status === 'error' || result.error) {
			throw new NodeOperationError(options.node ?? ({ name: 'sub-workflow' } as INode), result.error ?? 'Sub-workflow failed');
		}
		const lastNode = result.run.data.resultData.lastNodeExecuted;
		const runs = lastNode ? (result.run.data.resultData.runData[lastNode] ?? []) : [];
		const data = options.returnLastRunOnly ? [runs[runs.length - 1]?.data?.main?.[0] ?? null] : mergeRunsPerBranch(runs);
		return { executionId: result.executionId, data };
	}
}

function describeRun(run: IRun, executionId: string, savedStaticData: IDataObject | undefined): HarnessRun {
	const runData = run.data.resultData.runData;
	const items = (nodeName: string, outputIndex = 0, runIndex = 0) =>
		runData[nodeName]?.[runIndex]?.data?.main?.[outputIndex] ?? [];
	return {
		run,
		executionId,
		status: run.status,
		error: run.data.resultData.error?.message,
		savedStaticData,
		items,
		json: (nodeName, outputIndex, runIndex) => items(nodeName, outputIndex, runIndex).map((item) => item.json),
		nodeError: (nodeName, runIndex = 0) => runData[nodeName]?.[runIndex]?.error?.message,
	};
}
