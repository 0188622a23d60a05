export {
	alertWindows,
	evaluateAlerts,
	type Alert,
	type AlertEvaluation,
	type AlertEvaluationInput,
	type AlertEvaluationResult,
	type WindowReader,
} from './alerts';
export { alertMetricLabel, formatAlertValue, readAlertMetric } from './alertMetrics';
export {
	ALERT_COMPARATORS,
	ALERT_METRICS,
	ALERT_SEVERITIES,
	DEFAULT_ALERT_RULES,
	MAX_ALERT_WINDOW_MINUTES,
	minCallsOf,
	validateAlertRules,
	validateBurnRateRules,
	type AlertComparator,
	type AlertMetric,
	type AlertRule,
	type AlertSeverity,
	type BurnRateRule,
} from './alertRules';
export { emptyAlertState, parseAlertState, type AlertState, type FiringAlert } from './alertState';
export { identityKey, identityOf, type AnalysedComponent, type ComponentIdentity } from './componentIdentity';
export { IMPACT_THRESHOLDS, findBottlenecks, type Bottleneck, type Impact } from './bottlenecks';
export { SUGGESTION_THRESHOLDS } from './bottleneckSuggestions';
export {
	BURN_RATE_TIERS,
	BURN_RATE_WINDOWS_MINUTES,
	SLO_PERIOD_DAYS,
	burnRateOf,
	evaluateBurnRate,
	type BurnRateReading,
	type BurnRateTier,
} from './burnRate';
export {
	DEFAULT_LATENCY_SLO_MS,
	HEALTH_SCORE_FORMULA,
	HEALTH_WEIGHTS,
	healthScore,
	type ComponentHealth,
	type HealthOptions,
	type HealthPenalties,
	type HealthReport,
} from './health';
export { FLAT_TREND_SHARE, HOLT_ALPHA, HOLT_BETA, holtLinear, trendDirection, type HoltFit, type TrendDirection } from './holtLinear';
export { ewma } from './ewma';
export {
	DEFAULT_TREND_ALPHA,
	MAX_TREND_BUCKETS,
	buildTrend,
	type MinutePoint,
	type Trend,
	type TrendBucket,
	type TrendForecast,
	type TrendOptions,
	type TrendPoint,
} from './trends';
