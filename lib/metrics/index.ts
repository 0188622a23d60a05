export { CounterSet, COUNTER_FIELDS, type CounterField } from './counterSet';
export { LATENCY_RELATIVE_ACCURACY, binQuantiles, latencyBinKey, type LatencyBins } from './latencyBins';
export {
	ERROR_CLASSES,
	componentKey,
	seriesKey,
	type CacheOutcome,
	type ErrorClass,
	type MetricEvent,
	type SeriesId,
} from './metricEvent';
export {
	MINUTE_MS,
	MetricsStore,
	type MetricsJson,
	type MetricsStoreOptions,
	type MetricsWindow,
	type SeriesAggregate,
} from './metricsStore';
export { summarize, summarizeOperation, type MetricsSummary, type OperationSummary } from './summary';
export { rollupByComponent, rollupTotal, type ComponentCounters, type SeriesCounters } from './rollup';
export { AI_BATCH_OPERATIONS, UNIT_OPERATIONS, componentName, isPackageComponent, isUnitOfWork } from './unitOfWork';
