import { Registry } from 'prom-client';
import type { MetricsReading } from '../../state/stateStore';
import { registerCounterFamilies } from './counterFamilies';
import { durationHistogramText } from './durationHistogramText';
import { registerDurationQuantiles, registerProcessGauges, type ProcessReading } from './gaugeFamilies';
import { groupByLabels } from './seriesLabels';

/** The Content-Type of the text this module writes: Prometheus text format 0.0.4, as prom-client's registry serves it. */
export const PROMETHEUS_CONTENT_TYPE: string = Registry.PROMETHEUS_CONTENT_TYPE;

export interface PrometheusTextOptions {
	/** Adds the `n8n_perf_process_*` gauges. */
	process?: ProcessReading;
}

/**
 * Our metrics as Prometheus text (format 0.0.4): `n8n_perf_*` counters, a duration histogram and quantile
 * gauges per series (labels `workflow`, `node`, `component`, `operation`), and optional process gauges.
 *
 * Every call uses a registry of its own: prom-client's global `register` is the one n8n serves on /metrics,
 * and registering there would leak our series into it and fail on the second call (duplicate names).
 */
export async function toPrometheusText(readings: readonly MetricsReading[], options: PrometheusTextOptions = {}): Promise<string> {
	if (!Array.isArray(readings)) throw new TypeError('Expected `readings` to be an array of metrics readings');
	const series = groupByLabels(readings);
	const registry = new Registry();
	const counterNames = registerCounterFamilies(registry, series);
	const quantileName = registerDurationQuantiles(registry, series);
	const processNames = options.process === undefined ? [] : registerProcessGauges(registry, options.process);
	const families = await Promise.all([
		...counterNames.map((name) => registry.getSingleMetricAsString(name)),
		durationHistogramText(series),
		registry.getSingleMetricAsString(quantileName),
		...processNames.map((name) => registry.getSingleMetricAsString(name)),
	]);
	// The same layout as `registry.metrics()`: families separated by a blank line, a final newline.
	return `${families.join('\n\n')}\n`;
}
