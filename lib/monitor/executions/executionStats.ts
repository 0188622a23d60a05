import { addToBins, binQuantiles, type LatencyBins } from '../../metrics/latencyBins';
import { roundTo } from '../analysis/format';
import type { ExecutionDigest, NodeRun } from './nodeRuns';

/** How many of a node's slowest runs the report lists. */
export const SLOWEST_RUNS = 5;

/** Execution statuses that mean the execution is over; the others (new, running, waiting) are left for a later read. */
export const FINISHED_STATUSES: ReadonlySet<string> = new Set(['success', 'error', 'crashed', 'canceled']);

export interface SlowRun {
	executionId: string;
	durationMs: number;
	startedAt: string;
	/** Opens the execution in n8n's editor. */
	url: string;
}

export interface Percentiles {
	p50: number | null;
	p95: number | null;
	p99: number | null;
}

export interface NodeReport {
	node: string;
	nodeType: string;
	runs: number;
	itemsOut: number;
	errors: number;
	/** errors / runs, 0..1. */
	errorRate: number;
	errorsByClass: Record<string, number>;
	durationMs: Percentiles & { avg: number };
	/** This node's summed run time as a share of all the workflow's node run time, 0..100. */
	shareOfTimePct: number;
	slowestRuns: SlowRun[];
}

export interface WorkflowReport {
	workflowId: string;
	workflowName: string;
	runs: number;
	succeeded: number;
	/** succeeded / runs, 0..1; null without runs. */
	successRate: number | null;
	durationMs: Percentiles;
	/** Executions n8n listed without their run data (above its display size): counted, but without node timings. */
	withoutRunData: number;
	/** Nodes by share of the workflow's time, largest first. */
	nodes: NodeReport[];
}

interface NodeStats {
	nodeName: string;
	nodeType: string;
	runs: number;
	itemsOut: number;
	errors: number;
	errorsByClass: Record<string, number>;
	durationSumMs: number;
	bins: LatencyBins;
	/** Slowest first, at most {@link SLOWEST_RUNS}. */
	slowest: Array<{ executionId: string; durationMs: number; startTime: number }>;
}

/**
 * One workflow's executions folded into counts, latency bins and the few slowest runs: memory stays the same
 * whatever the number of executions (a bin per 1% of duration range, a handful of runs per node).
 */
export class WorkflowStats {
	workflowName: string;
	runs = 0;
	succeeded = 0;
	withoutRunData = 0;
	private readonly durationBins: LatencyBins = new Map();
	private readonly nodes = new Map<string, NodeStats>();

	constructor(readonly workflowId: string, workflowName?: string) {
		this.workflowName = workflowName ?? workflowId;
	}

	add(execution: ExecutionDigest): void {
		if (execution.workflowName) this.workflowName = execution.workflowName;
		this.runs++;
		if (execution.status === 'success') this.succeeded++;
		if (!execution.hasRunData) this.withoutRunData++;
		if (execution.durationMs !== null) addToBins(this.durationBins, execution.durationMs);
		for (const run of execution.nodeRuns) this.addRun(execution.id, run);
	}

	report(instanceUrl: string): WorkflowReport {
		let totalMs = 0;
		for (const stats of this.nodes.values()) totalMs += stats.durationSumMs;
		const nodes = [...this.nodes.values()].map((stats) => this.nodeReport(stats, totalMs, instanceUrl));
		nodes.sort((a, b) => b.shareOfTimePct - a.shareOfTimePct || (b.durationMs.p95 ?? 0) - (a.durationMs.p95 ?? 0));
		return {
			workflowId: this.workflowId,
			workflowName: this.workflowName,
			runs: this.runs,
			succeeded: this.succeeded,
			successRate: this.runs > 0 ? roundTo(this.succeeded / this.runs, 4) : null,
			durationMs: percentiles(this.durationBins),
			withoutRunData: this.withoutRunData,
			nodes,
		};
	}

	private addRun(executionId: string, run: NodeRun): void {
		let stats = this.nodes.get(run.nodeName);
		if (stats === undefined) {
			stats = { nodeName: run.nodeName, nodeType: run.nodeType, runs: 0, itemsOut: 0, errors: 0, errorsByClass: {}, durationSumMs: 0, bins: new Map(), slowest: [] };
			this.nodes.set(run.nodeName, stats);
		}
		if (run.nodeType !== 'unknown') stats.nodeType = run.nodeType;
		stats.runs++;
		stats.itemsOut += run.itemsOut;
		stats.durationSumMs += run.durationMs;
		addToBins(stats.bins, run.durationMs);
		if (run.error) {
			stats.errors++;
			stats.errorsByClass[run.error.errorClass] = (stats.errorsByClass[run.error.errorClass] ?? 0) + 1;
		}
		keepSlowest(stats.slowest, { executionId, durationMs: run.durationMs, startTime: run.startTime });
	}

	private nodeReport(stats: NodeStats, workflowTotalMs: number, instanceUrl: string): NodeReport {
		return {
			node: stats.nodeName,
			nodeType: stats.nodeType,
			runs: stats.runs,
			itemsOut: stats.itemsOut,
			errors: stats.errors,
			errorRate: stats.runs > 0 ? roundTo(stats.errors / stats.runs, 4) : 0,
			errorsByClass: { ...stats.errorsByClass },
			durationMs: { ...percentiles(stats.bins), avg: stats.runs > 0 ? roundTo(stats.durationSumMs / stats.runs, 3) : 0 },
			shareOfTimePct: workflowTotalMs > 0 ? roundTo((stats.durationSumMs / workflowTotalMs) * 100, 1) : 0,
			slowestRuns: stats.slowest.map((run) => ({
				executionId: run.executionId,
				durationMs: run.durationMs,
				startedAt: new Date(run.startTime).toISOString(),
				url: executionUrl(instanceUrl, this.workflowId, run.executionId),
			})),
		};
	}
}

/** The editor's page of one execution. */
export function executionUrl(instanceUrl: string, workflowId: string, executionId: string): string {
	return `${instanceUrl}/workflow/${encodeURIComponent(workflowId)}/executions/${encodeURIComponent(executionId)}`;
}

function keepSlowest(slowest: NodeStats['slowest'], run: NodeStats['slowest'][number]): void {
	if (slowest.length === SLOWEST_RUNS && run.durationMs <= slowest[slowest.length - 1].durationMs) return;
	let index = slowest.length;
	while (index > 0 && slowest[index - 1].durationMs < run.durationMs) index--;
	slowest.splice(index, 0, run);
	if (slowest.length > SLOWEST_RUNS) slowest.pop();
}

function percentiles(bins: LatencyBins): Percentiles {
	const [p50, p95, p99] = binQuantiles(bins, [0.5, 0.95, 0.99]).map((value) => (value === null ? null : roundTo(value, 3)));
	return { p50, p95, p99 };
}
