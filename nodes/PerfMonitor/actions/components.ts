import { CounterSet, summarize, type MetricsSummary } from '../../../lib/metrics';
import type { MetricsReading } from '../../../lib/state';

/** A component (one node of one workflow) with its counters over a window. */
export interface WorkflowComponent {
	workflowId: string;
	nodeType: string;
	nodeName: string;
	counters: CounterSet;
	operations: Record<string, CounterSet>;
}

/** Groups readings per workflow and node: with the "all workflows" scope two workflows' "Ask" nodes stay apart. */
export function componentsOf(readings: MetricsReading[]): WorkflowComponent[] {
	const byKey = new Map<string, WorkflowComponent>();
	for (const reading of readings) {
		const key = `${reading.workflowId}\u0001${reading.nodeType}\u0001${reading.nodeName}`;
		let component = byKey.get(key);
		if (component === undefined) {
			component = { workflowId: reading.workflowId, nodeType: reading.nodeType, nodeName: reading.nodeName, counters: new CounterSet(), operations: {} };
			byKey.set(key, component);
		}
		component.counters.add(reading.counters);
		(component.operations[reading.operation] ??= new CounterSet()).add(reading.counters);
	}
	return [...byKey.values()].filter((component) => component.counters.calls > 0);
}

/** The node type without the package prefix: `optimizedAiCall`. */
export function shortType(nodeType: string): string {
	return nodeType.slice(nodeType.lastIndexOf('.') + 1);
}

export function componentSummary(component: WorkflowComponent, windowMinutes: number): { workflowId: string; node: string; component: string } & MetricsSummary {
	return {
		workflowId: component.workflowId,
		node: component.nodeName,
		component: shortType(component.nodeType),
		...summarize(component.counters, windowMinutes),
	};
}
