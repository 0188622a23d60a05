import { CounterSet } from './counterSet';
import { componentKey, type SeriesId } from './metricEvent';

/** A per-series reading (a series is a component doing one operation). */
export interface SeriesCounters extends SeriesId {
	counters: CounterSet;
	/** Present for readings across workflows: two workflows' "Ask" nodes are then two components. */
	workflowId?: string;
}

export interface ComponentCounters {
	workflowId?: string;
	nodeType: string;
	nodeName: string;
	counters: CounterSet;
	/** The component's series, by operation. */
	operations: Record<string, CounterSet>;
}

/** Sums series per component (workflow, when given, + node type + node name), keeping each operation's counters too. */
export function rollupByComponent(readings: readonly SeriesCounters[]): ComponentCounters[] {
	const components = new Map<string, ComponentCounters>();
	for (const reading of readings) {
		const key = `${reading.workflowId ?? ''}\u0001${componentKey(reading)}`;
		let component = components.get(key);
		if (component === undefined) {
			component = { nodeType: reading.nodeType, nodeName: reading.nodeName, counters: new CounterSet(), operations: {} };
			if (reading.workflowId !== undefined) component.workflowId = reading.workflowId;
			components.set(key, component);
		}
		component.counters.add(reading.counters);
		(component.operations[reading.operation] ??= new CounterSet()).add(reading.counters);
	}
	return [...components.values()];
}

/** Sums every reading into one counter set. */
export function rollupTotal(readings: readonly SeriesCounters[]): CounterSet {
	const total = new CounterSet();
	for (const reading of readings) total.add(reading.counters);
	return total;
}
