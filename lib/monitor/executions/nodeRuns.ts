import type { ErrorClass } from '../../metrics';
import { errorClassForHttp } from '../../resilience';
import type { ApiExecution } from './executionsApi';

/** One run of one node in a saved execution: its timing and outcome, never its items. */
export interface NodeRun {
	nodeName: string;
	/** From the execution's copy of the workflow; `unknown` when the node is no longer in it. */
	nodeType: string;
	/** Epoch ms. */
	startTime: number;
	durationMs: number;
	/** Items on the node's main outputs. */
	itemsOut: number;
	/** Present when the run failed. */
	error?: { errorClass: ErrorClass; message: string };
}

/** What the analysis keeps of one execution once its item data is gone. */
export interface ExecutionDigest {
	id: string;
	workflowId: string;
	workflowName?: string;
	status: string;
	startedAt: number | null;
	/** stoppedAt − startedAt; null while either is missing. */
	durationMs: number | null;
	/** Whether n8n sent the run data (it leaves it out of executions above its display size). */
	hasRunData: boolean;
	nodeRuns: NodeRun[];
}

/**
 * Reduces an execution as the API lists it to its timings. Only numbers and short strings are copied out, so
 * once the page is dropped nothing holds on to item data.
 */
export function digestExecution(execution: ApiExecution): ExecutionDigest {
	const startedAt = parseTime(execution.startedAt);
	const stoppedAt = parseTime(execution.stoppedAt);
	const types = new Map<string, string>();
	for (const node of execution.workflowData?.nodes ?? []) {
		if (typeof node?.name === 'string' && typeof node.type === 'string') types.set(node.name, node.type);
	}
	const runData = execution.data?.resultData?.runData;
	const nodeRuns: NodeRun[] = [];
	if (runData && typeof runData === 'object') {
		for (const [nodeName, tasks] of Object.entries(runData)) {
			if (!Array.isArray(tasks)) continue;
			for (const task of tasks as unknown[]) {
				const run = nodeRunOf(nodeName, types.get(nodeName) ?? 'unknown', task);
				if (run !== undefined) nodeRuns.push(run);
			}
		}
	}
	const workflowName = execution.workflowData?.name;
	return {
		id: String(execution.id),
		workflowId: String(execution.workflowId),
		...(typeof workflowName === 'string' ? { workflowName } : {}),
		status: String(execution.status),
		startedAt,
		durationMs: startedAt !== null && stoppedAt !== null ? Math.max(0, stoppedAt - startedAt) : null,
		hasRunData: runData !== undefined && runData !== null,
		nodeRuns,
	};
}

function nodeRunOf(nodeName: string, nodeType: string, task: unknown): NodeRun | undefined {
	if (task === null || typeof task !== 'object') return undefined;
	const { startTime, executionTime, data, error, executionStatus } = task as {
		startTime?: unknown;
		executionTime?: unknown;
		data?: { main?: unknown };
		error?: { message?: unknown; httpCode?: unknown; description?: unknown };
		executionStatus?: unknown;
	};
	if (typeof startTime !== 'number' || typeof executionTime !== 'number' || !Number.isFinite(executionTime)) return undefined;
	let itemsOut = 0;
	if (Array.isArray(data?.main)) {
		for (const output of data.main) if (Array.isArray(output)) itemsOut += output.length;
	}
	const run: NodeRun = { nodeName, nodeType, startTime, durationMs: Math.max(0, executionTime), itemsOut };
	if (error !== undefined && error !== null) {
		run.error = { errorClass: errorClassOfNodeError(error), message: String(error.message ?? 'error').slice(0, 200) };
	} else if (executionStatus === 'error') {
		run.error = { errorClass: 'other', message: 'error' };
	}
	return run;
}

function errorClassOfNodeError(error: { message?: unknown; httpCode?: unknown }): ErrorClass {
	const status = Number(error.httpCode);
	if (Number.isInteger(status) && status >= 400) return errorClassForHttp({ status });
	const message = String(error.message ?? '');
	if (/timed? ?out|ETIMEDOUT/i.test(message)) return 'timeout';
	if (/ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN/.test(message)) return 'network';
	return 'other';
}

function parseTime(value: string | null | undefined): number | null {
	if (typeof value !== 'string') return null;
	const time = Date.parse(value);
	return Number.isFinite(time) ? time : null;
}
