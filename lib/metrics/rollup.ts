import { CounterSet } from './counterSet';
import { componentKey, type SeriesId } from './metricEvent';
import { isUnitOfWork } from './unitOfWork';

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
	/** The component's units of work only (see {@link isUnitOfWork}): its calls, items, latency and time. */
	counters: CounterSet;
	/** Every series of the component by operation, units of work and sub-operations alike. */
	operations: Record<string, CounterSet>;
}

/**
 * Per component (workflow, when given, + node type + node name): the units of work summed, and each operation's
 * counters apart. Components that recorded only sub-operations are kept, with zero calls.
 */
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
		if (isUnitOfWork(reading)) component.counters.add(reading.counters);
		(component.operations[reading.operation] ??= new CounterSet()).add(reading.counters);
	}
	return [...components.values()];
}

/** Sums the units of work of every reading into one counter set; sub-operations are left out. */
export function rollupTotal(readings: readonly SeriesCounters[]): CounterSet {
	const total = new CounterSet();
	for (const reading of readings) {
		if (isUnitOfWork(reading)) total.add(reading.counters);
	}
	return total;
}
