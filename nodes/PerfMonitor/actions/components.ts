import {
	componentName,
	isUnitOfWork,
	rollupByComponent,
	summarize,
	summarizeOperation,
	type ComponentCounters,
	type MetricsSummary,
	type OperationSummary,
} from '../../../lib/metrics';
import type { MetricsReading } from '../../../lib/state';

/** A component (one node of one workflow) with its counters over a window. */
export type WorkflowComponent = ComponentCounters & { workflowId: string };

/**
 * Components of the readings that did work in the window; with the "all workflows" scope, kept apart per workflow.
 * A component with only sub-operations in the window (a template search, say) is listed with zero calls.
 */
export function componentsOf(readings: MetricsReading[]): WorkflowComponent[] {
	return rollupByComponent(readings).filter(
		(component): component is WorkflowComponent => Object.values(component.operations).some((counters) => counters.calls > 0),
	);
}

export function componentSummary(
	component: WorkflowComponent,
	windowMinutes: number,
): { workflowId: string; node: string; component: string } & MetricsSummary & { operations: Record<string, OperationSummary> } {
	const operations: Record<string, OperationSummary> = {};
	for (const [operation, counters] of Object.entries(component.operations)) {
		if (counters.calls === 0) continue;
		operations[operation] = summarizeOperation(counters, isUnitOfWork({ ...component, operation }));
	}
	return {
		workflowId: component.workflowId,
		node: component.nodeName,
		component: componentName(component.nodeType),
		...summarize(component.counters, windowMinutes),
		operations,
	};
}
