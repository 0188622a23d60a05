import { rollupByComponent, summarize, type ComponentCounters, type MetricsSummary } from '../../../lib/metrics';
import type { MetricsReading } from '../../../lib/state';

/** A component (one node of one workflow) with its counters over a window. */
export type WorkflowComponent = ComponentCounters & { workflowId: string };

/** Components of the readings that did work in the window; with the "all workflows" scope, kept apart per workflow. */
export function componentsOf(readings: MetricsReading[]): WorkflowComponent[] {
	return rollupByComponent(readings).filter((component): component is WorkflowComponent => component.counters.calls > 0);
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
