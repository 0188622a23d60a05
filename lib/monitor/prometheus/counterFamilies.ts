import { Counter, type Registry } from 'prom-client';
import type { CounterSet } from '../../metrics/counterSet';
import { SERIES_LABEL_NAMES, type LabelledCounters } from './seriesLabels';

/**
 * A counter family: one value per series, or, with `splitBy`, one value per value of that extra label.
 * Counters carry the reading's cumulative totals, which is what Prometheus' `rate()` expects of a counter.
 */
interface CounterFamily {
	name: string;
	help: string;
	splitBy?: string;
	values(counters: CounterSet): Record<string, number>;
}

/** Key of the single value of a family that has no `splitBy` label. */
const UNSPLIT = '';

const COUNTER_FAMILIES: readonly CounterFamily[] = [
	{
		name: 'n8n_perf_calls_total',
		help: 'Units of work done (AI calls, dispatched batches, template renders).',
		values: (counters) => ({ [UNSPLIT]: counters.calls }),
	},
	{
		name: 'n8n_perf_items_total',
		help: 'Items covered by the units of work.',
		values: (counters) => ({ [UNSPLIT]: counters.items }),
	},
	{
		name: 'n8n_perf_errors_total',
		help: 'Units of work that ended in an error, by error class.',
		splitBy: 'class',
		// Only the classes that occurred, sorted so that the text is the same for the same counts.
		values: (counters) =>
			Object.fromEntries(Object.keys(counters.errorsByClass).sort().map((errorClass) => [errorClass, counters.errorsByClass[errorClass]])),
	},
	{
		name: 'n8n_perf_cache_requests_total',
		help: 'How units of work were served with respect to a cache.',
		splitBy: 'result',
		values: (counters) => ({
			hit: counters.hits,
			miss: counters.misses,
			coalesced: counters.coalesced,
			similar: counters.similar,
			bypass: counters.bypass,
		}),
	},
	{
		name: 'n8n_perf_tokens_total',
		help: 'LLM tokens sent (in), received (out) and not sent thanks to caching or compression (saved).',
		splitBy: 'kind',
		values: (counters) => ({ in: counters.tokensIn, out: counters.tokensOut, saved: counters.tokensSaved }),
	},
	{
		name: 'n8n_perf_cost_usd_total',
		help: 'Cost of the units of work in USD (calls with unknown prices are not included).',
		values: (counters) => ({ [UNSPLIT]: counters.costUsd }),
	},
	{
		name: 'n8n_perf_cost_saved_usd_total',
		help: 'Cost avoided by caching, coalescing and near-duplicate reuse, in USD.',
		values: (counters) => ({ [UNSPLIT]: counters.costSavedUsd }),
	},
	{
		name: 'n8n_perf_bytes_total',
		help: 'Payload bytes before (raw) and after (compressed) compression.',
		splitBy: 'kind',
		values: (counters) => ({ raw: counters.bytesRaw, compressed: counters.bytesCompressed }),
	},
	{
		name: 'n8n_perf_retries_total',
		help: 'Attempts beyond the first.',
		values: (counters) => ({ [UNSPLIT]: counters.retries }),
	},
];

/**
 * Registers every counter family on `registry` (never prom-client's global one) and sets it to the series'
 * totals. Zero values are written too: a series that exists from its first scrape lets `rate()` see the first
 * increase. Returns the family names in the order they should be written.
 */
export function registerCounterFamilies(registry: Registry, series: readonly LabelledCounters[]): string[] {
	return COUNTER_FAMILIES.map((family) => {
		const labelNames = family.splitBy === undefined ? [...SERIES_LABEL_NAMES] : [...SERIES_LABEL_NAMES, family.splitBy];
		const counter = new Counter({ name: family.name, help: family.help, labelNames, registers: [registry] });
		for (const { labels, counters } of series) {
			for (const [splitValue, total] of Object.entries(family.values(counters))) {
				const labelValues = family.splitBy === undefined ? { ...labels } : { ...labels, [family.splitBy]: splitValue };
				counter.inc(labelValues, total);
			}
		}
		return family.name;
	});
}
