import { UNIT_OPERATIONS, type MetricEvent } from '../../metrics';
import { WorkSlicer } from '../../shared/yieldToEventLoop';
import { ExecutionsApiError, type ExecutionsApi } from './executionsApi';
import { FINISHED_STATUSES, WorkflowStats, type WorkflowReport } from './executionStats';
import { digestExecution, type ExecutionDigest } from './nodeRuns';
import { atOrBelow, type ReadProgress } from './readProgress';

/** n8n's public API serves at most this many executions per page. */
export const MAX_PAGE_SIZE = 250;

export interface AnalyzeExecutionsInput {
	api: ExecutionsApi;
	/** The workflows to read, in this order; a name is only a fallback until an execution brings the current one. */
	workflows: ReadonlyArray<{ id: string; name?: string }>;
	/** Each workflow's progress from the previous runs; missing = read from `startedAfterMs`. */
	progress: ReadonlyMap<string, ReadProgress>;
	/** A workflow read for the first time is read back to this time (epoch ms). */
	startedAfterMs: number;
	/** Executions per API page, 1..250. */
	pageSize: number;
	/** This run reads at most about this many executions (whole pages); the next run goes on where it stopped. */
	maxExecutions: number;
	/** The editor's address, for links to executions. */
	instanceUrl: string;
	/** Gets one metric event per node run, at the run's own start time. */
	record: (event: MetricEvent) => void;
	slicer?: WorkSlicer;
}

export interface AnalyzeExecutionsResult {
	workflows: WorkflowReport[];
	executionsRead: number;
	/** Executions listed but not finished (waiting), left out. */
	unfinishedSkipped: number;
	pagesRead: number;
	/** Whether the cap stopped the run with executions left; the next run reads them. */
	capped: boolean;
	/** Each read workflow's progress after this run, to store. */
	progress: Map<string, ReadProgress>;
	/** The API error that stopped the run; everything before it is in the result and in `progress`. */
	failure?: ExecutionsApiError;
}

/** The component a node run is recorded under: the workflow's name and the node's, so two workflows' "Code" nodes stay apart. */
export function nodeComponentName(workflowName: string, nodeName: string): string {
	return `${workflowName} / ${nodeName}`;
}

/**
 * Reads the workflows' saved executions newest first, page by page, each page reduced to node timings and
 * dropped before the next is asked for; records one metric event per node run and folds the runs into per-
 * workflow statistics. Stops at the first API error and returns what was read with it.
 */
export async function analyzeExecutions(input: AnalyzeExecutionsInput): Promise<AnalyzeExecutionsResult> {
	if (!Number.isInteger(input.pageSize) || input.pageSize < 1 || input.pageSize > MAX_PAGE_SIZE) {
		throw new RangeError(`Expected \`pageSize\` to be an integer from 1 to ${MAX_PAGE_SIZE}, got ${input.pageSize}`);
	}
	if (!Number.isInteger(input.maxExecutions) || input.maxExecutions < 1) {
		throw new RangeError(`Expected \`maxExecutions\` to be an integer from 1 and up, got ${input.maxExecutions}`);
	}
	const run = new AnalysisRun(input);
	const reports: WorkflowReport[] = [];
	for (const workflow of input.workflows) {
		const stats = new WorkflowStats(workflow.id, workflow.name);
		try {
			await run.readWorkflow(stats, input.progress.get(workflow.id) ?? {});
		} catch (error) {
			if (!(error instanceof ExecutionsApiError)) throw error;
			run.failure = error;
		}
		if (stats.runs > 0 || run.failure === undefined) reports.push(stats.report(input.instanceUrl));
		if (run.failure !== undefined || run.capped) break;
	}
	return {
		workflows: reports,
		executionsRead: run.executionsRead,
		unfinishedSkipped: run.unfinishedSkipped,
		pagesRead: run.pagesRead,
		capped: run.capped,
		progress: run.progress,
		...(run.failure ? { failure: run.failure } : {}),
	};
}

/** Where one stretch of pages stopped. */
interface PagesOutcome {
	/** The id of the first (newest) execution listed, read or not. */
	newestId?: string;
	/** Set when the stretch stopped before its end: n8n's cursor of the next page. */
	stoppedAtCursor?: string;
	error?: ExecutionsApiError;
}

class AnalysisRun {
	executionsRead = 0;
	unfinishedSkipped = 0;
	pagesRead = 0;
	capped = false;
	failure?: ExecutionsApiError;
	readonly progress = new Map<string, ReadProgress>();
	private readonly slicer: WorkSlicer;

	constructor(private readonly input: AnalyzeExecutionsInput) {
		this.slicer = input.slicer ?? new WorkSlicer();
	}

	/** Finishes an interrupted read, then reads what is new; stores the progress before rethrowing an API error. */
	async readWorkflow(stats: WorkflowStats, stored: ReadProgress): Promise<void> {
		let progress: ReadProgress = { ...stored };
		this.progress.set(stats.workflowId, progress);
		const { resume } = progress;
		if (resume !== undefined) {
			const outcome = await this.readPages(stats, { cursor: resume.cursor, downTo: resume.downTo, startedAfter: resume.startedAfter });
			if (outcome.stoppedAtCursor !== undefined) {
				this.progress.set(stats.workflowId, { ...progress, resume: { ...resume, cursor: outcome.stoppedAtCursor } });
				if (outcome.error) throw outcome.error;
				return;
			}
			progress = { readUpTo: resume.newestId };
			this.progress.set(stats.workflowId, progress);
		}
		const startedAfter = progress.readUpTo === undefined ? new Date(this.input.startedAfterMs).toISOString() : undefined;
		const outcome = await this.readPages(stats, { downTo: progress.readUpTo, startedAfter });
		if (outcome.newestId === undefined || atOrBelow(outcome.newestId, progress.readUpTo)) {
			if (outcome.error) throw outcome.error;
			return;
		}
		if (outcome.stoppedAtCursor !== undefined) {
			// Some pages were read: the stretch below them is read first next time.
			const resumeAt = { cursor: outcome.stoppedAtCursor, newestId: outcome.newestId, ...(progress.readUpTo ? { downTo: progress.readUpTo } : {}), ...(startedAfter ? { startedAfter } : {}) };
			this.progress.set(stats.workflowId, { ...progress, resume: resumeAt });
		} else {
			this.progress.set(stats.workflowId, { readUpTo: outcome.newestId });
		}
		if (outcome.error) throw outcome.error;
	}

	/** Pages from `cursor` (the newest when absent) down to `downTo`, until the last page, the cap or an API error. */
	private async readPages(stats: WorkflowStats, from: { cursor?: string; downTo?: string; startedAfter?: string }): Promise<PagesOutcome> {
		const outcome: PagesOutcome = {};
		let cursor = from.cursor;
		let first = true;
		for (;;) {
			if (this.executionsRead >= this.input.maxExecutions) {
				this.capped = true;
				// Without a cursor nothing of this stretch was read: it starts over from the newest next time.
				if (cursor !== undefined) outcome.stoppedAtCursor = cursor;
				return outcome;
			}
			let page;
			try {
				page = await this.input.api.executionsPage({ workflowId: stats.workflowId, limit: this.input.pageSize, cursor, startedAfter: from.startedAfter });
			} catch (error) {
				if (!(error instanceof ExecutionsApiError)) throw error;
				outcome.error = error;
				if (cursor !== undefined) outcome.stoppedAtCursor = cursor;
				return outcome;
			}
			this.pagesRead++;
			if (first && page.executions.length > 0) outcome.newestId = String(page.executions[0].id);
			first = false;
			let reachedFloor = false;
			for (const execution of page.executions) {
				if (atOrBelow(String(execution.id), from.downTo)) {
					reachedFloor = true;
					break;
				}
				if (!FINISHED_STATUSES.has(String(execution.status))) {
					this.unfinishedSkipped++;
					continue;
				}
				this.take(stats, digestExecution(execution));
				await this.slicer.maybeYield();
			}
			if (reachedFloor || page.nextCursor === null) return outcome;
			cursor = page.nextCursor;
		}
	}

	private take(stats: WorkflowStats, execution: ExecutionDigest): void {
		stats.add(execution);
		this.executionsRead++;
		const workflowName = stats.workflowName;
		for (const run of execution.nodeRuns) {
			this.input.record({
				nodeType: run.nodeType,
				nodeName: nodeComponentName(workflowName, run.nodeName),
				operation: UNIT_OPERATIONS.executionNodeRun,
				durationMs: run.durationMs,
				items: run.itemsOut,
				outcome: run.error ? run.error.errorClass : 'ok',
				at: run.startTime,
			});
		}
	}
}
