import { CounterSet, type MetricEvent, type MetricsWindow, type SeriesId } from '../../metrics';
import { WorkSlicer } from '../../shared/yieldToEventLoop';
import type { ProcessState } from '../processState';
import type { MetricsQuery, MetricsReading, StateMetrics } from '../stateStore';
import type { WorkflowState } from '../workflowState';
import { statesInScope } from './scope';

/** The metrics of one workflow in this process's memory; reports of scope `all` cover every workflow held here. */
export class MemoryMetrics implements StateMetrics {
	constructor(
		private readonly process: ProcessState,
		private readonly state: WorkflowState,
	) {}

	record(event: MetricEvent): void {
		this.state.metrics.record(event);
	}

	async read(query: MetricsQuery = {}): Promise<MetricsReading[]> {
		const readings: MetricsReading[] = [];
		// One slicer for the whole read: every workflow's series share the time slice.
		const slicer = new WorkSlicer();
		for (const state of statesInScope(this.process, this.state, query.scope)) {
			for (const aggregate of await state.metrics.query(query, slicer)) {
				readings.push({ ...aggregate, workflowId: state.workflowId });
			}
		}
		return readings;
	}

	async minuteSeries(
		query: Required<MetricsWindow> & Pick<MetricsQuery, 'scope'>,
		filter?: (series: SeriesId & { workflowId: string }) => boolean,
	): Promise<Array<{ minute: number; counters: CounterSet }>> {
		const states = statesInScope(this.process, this.state, query.scope);
		const seriesFilter = (state: WorkflowState) =>
			filter === undefined ? undefined : (id: SeriesId) => filter({ ...id, workflowId: state.workflowId });
		const slicer = new WorkSlicer();
		if (states.length === 1) return await states[0].metrics.minuteSeries(query, seriesFilter(states[0]), slicer);
		const byMinute = new Map<number, CounterSet>();
		for (const state of states) {
			for (const point of await state.metrics.minuteSeries(query, seriesFilter(state), slicer)) {
				let sum = byMinute.get(point.minute);
				if (sum === undefined) byMinute.set(point.minute, (sum = new CounterSet()));
				sum.add(point.counters);
			}
		}
		return [...byMinute.entries()].sort((a, b) => a[0] - b[0]).map(([minute, counters]) => ({ minute, counters }));
	}

	async reset(scope: MetricsQuery['scope'] = 'workflow'): Promise<number> {
		const states = statesInScope(this.process, this.state, scope);
		for (const state of states) state.metrics.reset();
		return states.length;
	}
}
