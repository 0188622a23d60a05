export { PROMETHEUS_CONTENT_TYPE, toPrometheusText, type PrometheusTextOptions } from './toPrometheusText';
export type { ProcessReading } from './gaugeFamilies';
export { DURATION_BUCKETS_SECONDS } from './latencyBuckets';
