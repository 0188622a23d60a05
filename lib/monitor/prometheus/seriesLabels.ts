import { CounterSet } from '../../metrics/counterSet';
import { componentName } from '../../metrics/unitOfWork';
import type { MetricsReading } from '../../state/stateStore';

/** The labels every `n8n_perf_*` series carries, in the order they are written. */
export interface SeriesLabels {
	workflow: string;
	node: string;
	component: string;
	operation: string;
}

export const SERIES_LABEL_NAMES = ['workflow', 'node', 'component', 'operation'] as const;

/** One exported series: its labels and the counters of every reading that carries them. */
export interface LabelledCounters {
	labels: SeriesLabels;
	counters: CounterSet;
}

/**
 * Merges readings that map onto the same label set. Two readings can: the same series read twice, or two node
 * types from different packages with the same short name. Counters would add up on their own, but a gauge
 * (quantiles) and our own histogram text would otherwise show one series twice or keep only the last.
 */
export function groupByLabels(readings: readonly MetricsReading[]): LabelledCounters[] {
	const groups = new Map<string, LabelledCounters>();
	readings.forEach((reading, index) => {
		if (!(reading?.counters instanceof CounterSet)) {
			throw new TypeError(`Expected readings[${index}].counters to be a CounterSet`);
		}
		const labels: SeriesLabels = {
			workflow: reading.workflowId,
			node: reading.nodeName,
			component: componentName(reading.nodeType),
			operation: reading.operation,
		};
		// JSON of the values in a fixed order: unambiguous whatever characters a node name contains.
		const key = JSON.stringify(SERIES_LABEL_NAMES.map((name) => labels[name]));
		const group = groups.get(key);
		if (group === undefined) groups.set(key, { labels, counters: reading.counters.clone() });
		else group.counters.add(reading.counters);
	});
	return [...groups.values()];
}
