import type { DashboardComponent } from './dashboardData';

/** Rows per workflow in the slowest-nodes table: enough to act on, few enough to read on a phone. */
export const SLOWEST_NODES_PER_WORKFLOW = 10;

export interface SlowNode {
	node: string;
	component: string;
	calls: number;
	p95Ms: number | null;
	/** Summed time of the node's calls in the window. */
	totalMs: number;
}

/**
 * The slowest nodes of each workflow, by p95 (then by summed time), from components of any node type. Our own
 * nodes are always timed; other nodes only when per-node readings of every node are recorded, so the table is
 * worth showing only when `hasForeignNodes` says such readings exist.
 */
export function slowestNodesByWorkflow(components: readonly DashboardComponent[]): Map<string, SlowNode[]> {
	const byWorkflow = new Map<string, SlowNode[]>();
	for (const component of components) {
		if (component.calls === 0) continue;
		const rows = byWorkflow.get(component.workflowId) ?? [];
		rows.push({
			node: component.node,
			component: component.component,
			calls: component.calls,
			p95Ms: component.latencyMs.p95,
			totalMs: (component.latencyMs.avg ?? 0) * component.calls,
		});
		byWorkflow.set(component.workflowId, rows);
	}
	for (const [workflowId, rows] of byWorkflow) {
		rows.sort((a, b) => (b.p95Ms ?? 0) - (a.p95Ms ?? 0) || b.totalMs - a.totalMs);
		byWorkflow.set(workflowId, rows.slice(0, SLOWEST_NODES_PER_WORKFLOW));
	}
	return byWorkflow;
}
