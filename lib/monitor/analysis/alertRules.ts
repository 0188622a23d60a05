import { isPlainObject } from '../../shared/json';

export type AlertMetric = 'errorRate' | 'p95LatencyMs' | 'p99LatencyMs' | 'hitRate' | 'throughputPerMin' | 'costUsd' | 'calls';
export type AlertComparator = '>' | '>=' | '<' | '<=';
export type AlertSeverity = 'info' | 'warning' | 'critical';

/** Fires while `metric` over the last `windowMinutes` compares true against `value`. */
export interface AlertRule {
	id: string;
	metric: AlertMetric;
	comparator: AlertComparator;
	/** Rates as ratios (0.05 = 5%), latencies in ms, cost in USD. */
	value: number;
	windowMinutes: number;
	severity: AlertSeverity;
	/** Only this component; all components when absent. */
	nodeName?: string;
	/** Not evaluated (and so not firing) with fewer calls in the window. @default see {@link minCallsOf} */
	minCalls?: number;
}

/** Error-budget burn for an availability SLO (0.99 = 99% of calls succeed). */
export interface BurnRateRule {
	id: string;
	slo: number;
	nodeName?: string;
}

export const ALERT_METRICS: readonly AlertMetric[] = [
	'errorRate',
	'p95LatencyMs',
	'p99LatencyMs',
	'hitRate',
	'throughputPerMin',
	'costUsd',
	'calls',
];
export const ALERT_COMPARATORS: readonly AlertComparator[] = ['>', '>=', '<', '<='];
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'critical'];

/** The metrics store keeps 24 hours of minute buckets; a longer window would silently read less. */
export const MAX_ALERT_WINDOW_MINUTES = 1440;

/**
 * Error rate above 5% (warning) or 20% (critical) and p95 above 5 s over 5 minutes; cache hit rate below 20%
 * over an hour with at least 50 calls (info: worth a look, not a page). Shared by every workflow in the
 * process, so treat it as read-only. Not frozen on purpose: settings hold it by reference and may end up in
 * n8n's static data, whose change tracking defines a property on every object it wraps, which a frozen
 * object refuses.
 */
export const DEFAULT_ALERT_RULES: AlertRule[] = [
	// At least 10 calls: one failed call out of two is not an incident.
	{ id: 'error-rate-warning', metric: 'errorRate', comparator: '>', value: 0.05, windowMinutes: 5, severity: 'warning', minCalls: 10 },
	{ id: 'error-rate-critical', metric: 'errorRate', comparator: '>', value: 0.2, windowMinutes: 5, severity: 'critical', minCalls: 10 },
	{ id: 'p95-latency-warning', metric: 'p95LatencyMs', comparator: '>', value: 5000, windowMinutes: 5, severity: 'warning', minCalls: 5 },
	{ id: 'hit-rate-low', metric: 'hitRate', comparator: '<', value: 0.2, windowMinutes: 60, severity: 'info', minCalls: 50 },
];

/**
 * Calls a window needs before a rule is judged. A hit rate over a handful of calls is noise, so 20. Call
 * count and throughput are judged even without calls: "fewer than N calls" is how a stopped workflow shows.
 */
export function minCallsOf(rule: AlertRule): number {
	if (rule.minCalls !== undefined) return rule.minCalls;
	if (rule.metric === 'hitRate') return 20;
	if (rule.metric === 'calls' || rule.metric === 'throughputPerMin') return 0;
	return 1;
}

/**
 * Reads rules from JSON (a Configure parameter, stored settings) into checked copies with only the known
 * fields. Throws a `TypeError` naming the first bad rule and field.
 */
export function validateAlertRules(value: unknown): AlertRule[] {
	if (!Array.isArray(value)) throw new TypeError('Expected alert rules to be a list');
	const ids = new Set<string>();
	return value.map((rule: unknown, index: number): AlertRule => {
		if (!isPlainObject(rule)) throw new TypeError(`Expected alert rule ${index} to be an object`);
		// Without an id a rule is named by what it checks, so users can leave ids out.
		const id = uniqueId(
			rule.id ?? `${String(rule.metric)}${String(rule.comparator)}${String(rule.value)}/${String(rule.windowMinutes)}m${rule.nodeName ? `@${String(rule.nodeName)}` : ''}`,
			`alert rule ${index}`,
			ids,
		);
		const where = `alert rule "${id}"`;
		const { metric, comparator, value: threshold, windowMinutes, severity, nodeName, minCalls } = rule;
		if (!ALERT_METRICS.includes(metric as AlertMetric)) {
			throw new TypeError(`Expected ${where} to have \`metric\` one of ${ALERT_METRICS.join(', ')}, got ${String(metric)}`);
		}
		if (!ALERT_COMPARATORS.includes(comparator as AlertComparator)) {
			throw new TypeError(`Expected ${where} to have \`comparator\` one of ${ALERT_COMPARATORS.join(' ')}, got ${String(comparator)}`);
		}
		if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
			throw new TypeError(`Expected ${where} to have a finite number \`value\`, got ${String(threshold)}`);
		}
		if (typeof windowMinutes !== 'number' || !Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > MAX_ALERT_WINDOW_MINUTES) {
			throw new TypeError(
				`Expected ${where} to have \`windowMinutes\` an integer from 1 to ${MAX_ALERT_WINDOW_MINUTES}, got ${String(windowMinutes)}`,
			);
		}
		if (!ALERT_SEVERITIES.includes(severity as AlertSeverity)) {
			throw new TypeError(`Expected ${where} to have \`severity\` one of ${ALERT_SEVERITIES.join(', ')}, got ${String(severity)}`);
		}
		if (minCalls !== undefined && (typeof minCalls !== 'number' || !Number.isInteger(minCalls) || minCalls < 0)) {
			throw new TypeError(`Expected ${where} to have \`minCalls\` an integer from 0 and up, got ${String(minCalls)}`);
		}
		const checked: AlertRule = {
			id,
			metric: metric as AlertMetric,
			comparator: comparator as AlertComparator,
			value: threshold,
			windowMinutes,
			severity: severity as AlertSeverity,
		};
		if (nodeName !== undefined) checked.nodeName = nodeNameOf(nodeName, where);
		if (minCalls !== undefined) checked.minCalls = minCalls;
		return checked;
	});
}

/** As {@link validateAlertRules}, for burn-rate rules. */
export function validateBurnRateRules(value: unknown): BurnRateRule[] {
	if (!Array.isArray(value)) throw new TypeError('Expected burn-rate rules to be a list');
	const ids = new Set<string>();
	return value.map((rule: unknown, index: number): BurnRateRule => {
		if (!isPlainObject(rule)) throw new TypeError(`Expected burn-rate rule ${index} to be an object`);
		const id = uniqueId(rule.id, `burn-rate rule ${index}`, ids);
		const where = `burn-rate rule "${id}"`;
		if (typeof rule.slo !== 'number' || !(rule.slo > 0 && rule.slo < 1)) {
			throw new TypeError(`Expected ${where} to have \`slo\` between 0 and 1 exclusive (0.99 = 99%), got ${String(rule.slo)}`);
		}
		const checked: BurnRateRule = { id, slo: rule.slo };
		if (rule.nodeName !== undefined) checked.nodeName = nodeNameOf(rule.nodeName, where);
		return checked;
	});
}

function uniqueId(id: unknown, where: string, seen: Set<string>): string {
	if (typeof id !== 'string' || id === '') throw new TypeError(`Expected ${where} to have a non-empty string \`id\``);
	if (seen.has(id)) throw new TypeError(`Expected alert rule ids to be unique, got "${id}" twice`);
	seen.add(id);
	return id;
}

function nodeNameOf(nodeName: unknown, where: string): string {
	if (typeof nodeName !== 'string' || nodeName === '') {
		throw new TypeError(`Expected ${where} to have \`nodeName\` a non-empty string when set, got ${String(nodeName)}`);
	}
	return nodeName;
}
