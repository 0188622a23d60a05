import type { CounterSet } from '../../metrics';
import { alertMetricLabel, formatAlertValue, readAlertMetric } from './alertMetrics';
import {
	minCallsOf,
	validateAlertRules,
	validateBurnRateRules,
	type AlertComparator,
	type AlertMetric,
	type AlertRule,
	type AlertSeverity,
	type BurnRateRule,
} from './alertRules';
import { emptyAlertState, parseAlertState, type AlertState, type FiringAlert } from './alertState';
import { BURN_RATE_TIERS, evaluateBurnRate, SLO_PERIOD_DAYS } from './burnRate';
import { roundTo } from './format';

/** Sums of the counters of the last `windowMinutes` minutes, of one component or (no name) of all. */
export type WindowReader = (windowMinutes: number, nodeName?: string) => CounterSet;

export interface AlertEvaluationInput {
	rules: readonly AlertRule[];
	burnRateRules?: readonly BurnRateRule[];
	readWindow: WindowReader;
	/** Epoch ms. */
	now: number;
	/**
	 * The state the previous evaluation returned, as persisted; nothing (or `{}`) the first time. An unreadable
	 * one is replaced by an empty state and reported in `stateReset`.
	 */
	state?: AlertState;
	/** A rule that keeps firing is notified again only after this long. */
	cooldownMs: number;
}

export interface Alert {
	ruleId: string;
	status: 'firing' | 'resolved';
	severity: AlertSeverity;
	metric: AlertMetric | 'burnRate';
	/** The metric now (for a burn-rate rule: the burn over the long window); null where it has no value. */
	value: number | null;
	threshold: number;
	comparator: AlertComparator;
	windowMinutes: number;
	nodeName?: string;
	message: string;
	/** When the rule started firing, ISO 8601. */
	firingSince: string;
}

export interface AlertEvaluation {
	ruleId: string;
	value: number | null;
	firing: boolean;
}

export interface AlertEvaluationResult {
	/** Notifications to send now: new, repeated (after the cooldown) or resolved alerts. */
	alerts: Alert[];
	/** Every rule's reading, notified or not. */
	evaluations: AlertEvaluation[];
	/** To persist and pass to the next evaluation. */
	state: AlertState;
	/** Why the given state was unreadable and evaluation started from an empty one; absent when it was fine. */
	stateReset?: string;
}

/** One rule's reading, threshold or burn-rate alike, with the sentences to say about it. */
interface Condition {
	ruleId: string;
	metric: Alert['metric'];
	comparator: AlertComparator;
	threshold: number;
	windowMinutes: number;
	severity: AlertSeverity;
	nodeName?: string;
	value: number | null;
	firing: boolean;
	describe: (status: Alert['status']) => string;
}

/**
 * Evaluates every rule once and decides what to notify: a rule that starts firing is notified; one that keeps
 * firing again only once `cooldownMs` has passed since its last notification (or at once when its severity
 * changes); one that stops firing gets a single `resolved` notification and then is silent. A rule that cannot
 * be judged (too few calls, no value) counts as not firing: its alert resolves, as a stale alert would mislead.
 */
export function evaluateAlerts(input: AlertEvaluationInput): AlertEvaluationResult {
	const { now, cooldownMs } = input;
	if (!Number.isFinite(now) || now < 0) throw new RangeError(`Expected \`now\` to be epoch ms, got ${now}`);
	if (!Number.isFinite(cooldownMs) || cooldownMs < 0) {
		throw new RangeError(`Expected \`cooldownMs\` to be a number of ms from 0 and up, got ${cooldownMs}`);
	}
	const rules = validateAlertRules(input.rules);
	const burnRateRules = validateBurnRateRules(input.burnRateRules ?? []);
	// Both kinds share one state, keyed by rule id.
	const sharedId = rules.find((rule) => burnRateRules.some((burnRule) => burnRule.id === rule.id))?.id;
	if (sharedId !== undefined) throw new TypeError(`Expected alert rule ids to be unique, got "${sharedId}" twice`);
	const { state, stateReset } = readState(input.state);
	const read = memoize(input.readWindow);
	const previousById = new Map(state.firing.map((entry) => [entry.ruleId, entry]));
	const conditions = [
		...rules.map((rule) => thresholdCondition(rule, read)),
		...burnRateRules.map((rule) => burnRateCondition(rule, read, previousById.get(rule.id)?.severity)),
	];

	const alerts: Alert[] = [];
	const firing: FiringAlert[] = [];
	for (const condition of conditions) {
		// Only ids of current rules are looked up, so entries of removed rules are dropped here.
		const previous = previousById.get(condition.ruleId);
		if (!condition.firing) {
			if (previous !== undefined) alerts.push(toAlert(condition, 'resolved', previous.severity, previous.since));
			continue;
		}
		const notify =
			previous === undefined || previous.severity !== condition.severity || now - previous.notifiedAt >= cooldownMs;
		const since = previous?.since ?? now;
		if (notify) alerts.push(toAlert(condition, 'firing', condition.severity, since));
		firing.push({
			ruleId: condition.ruleId,
			since,
			notifiedAt: notify ? now : (previous?.notifiedAt ?? now),
			severity: condition.severity,
		});
	}
	const result: AlertEvaluationResult = {
		alerts,
		evaluations: conditions.map(({ ruleId, value, firing: isFiring }) => ({ ruleId, value, firing: isFiring })),
		state: { version: 1, firing },
	};
	if (stateReset !== undefined) result.stateReset = stateReset;
	return result;
}

/** A state that cannot be read costs at most one repeated notification per firing rule, so evaluation goes on. */
function readState(json: unknown): { state: AlertState; stateReset?: string } {
	try {
		return { state: parseAlertState(json) };
	} catch (error) {
		return { state: emptyAlertState(), stateReset: (error as Error).message };
	}
}

/** The distinct windows an evaluation will read, for a caller that has to fetch them before evaluating. */
export function alertWindows(
	rules: readonly AlertRule[],
	burnRateRules: readonly BurnRateRule[] = [],
): Array<{ windowMinutes: number; nodeName?: string }> {
	const windows = new Map<string, { windowMinutes: number; nodeName?: string }>();
	const add = (windowMinutes: number, nodeName: string | undefined) => {
		const window = nodeName === undefined ? { windowMinutes } : { windowMinutes, nodeName };
		windows.set(windowKey(windowMinutes, nodeName), window);
	};
	for (const rule of rules) add(rule.windowMinutes, rule.nodeName);
	for (const rule of burnRateRules) {
		for (const tier of BURN_RATE_TIERS) {
			add(tier.longWindowMinutes, rule.nodeName);
			add(tier.shortWindowMinutes, rule.nodeName);
		}
	}
	return [...windows.values()];
}

function toAlert(condition: Condition, status: Alert['status'], severity: AlertSeverity, since: number): Alert {
	const alert: Alert = {
		ruleId: condition.ruleId,
		status,
		severity,
		metric: condition.metric,
		value: condition.value,
		threshold: condition.threshold,
		comparator: condition.comparator,
		windowMinutes: condition.windowMinutes,
		message: condition.describe(status),
		firingSince: new Date(since).toISOString(),
	};
	if (condition.nodeName !== undefined) alert.nodeName = condition.nodeName;
	return alert;
}

function thresholdCondition(rule: AlertRule, read: WindowReader): Condition {
	const counters = read(rule.windowMinutes, rule.nodeName);
	const value = readAlertMetric(counters, rule.metric, rule.windowMinutes);
	const minCalls = minCallsOf(rule);
	const judged = counters.calls >= minCalls && value !== null;
	const label = alertMetricLabel(rule.metric);
	const where = `over the last ${rule.windowMinutes} min${onNode(rule.nodeName)}`;
	const criterion = `alert when ${rule.comparator} ${formatAlertValue(rule.metric, rule.value)}; ${callCount(counters.calls)}`;
	return {
		ruleId: rule.id,
		metric: rule.metric,
		comparator: rule.comparator,
		threshold: rule.value,
		windowMinutes: rule.windowMinutes,
		severity: rule.severity,
		nodeName: rule.nodeName,
		value,
		firing: judged && compare(value, rule.comparator, rule.value),
		describe: (status) => {
			if (counters.calls < minCalls) {
				return `Resolved: only ${callCount(counters.calls)} ${where}, fewer than the ${minCalls} needed to judge the ${label}`;
			}
			if (value === null) return `Resolved: no ${label} to judge ${where} (${callCount(counters.calls)})`;
			const sentence = `${label} is ${formatAlertValue(rule.metric, value)} ${where} (${criterion})`;
			return status === 'firing' ? capitalize(sentence) : `Resolved: ${sentence}`;
		},
	};
}

function burnRateCondition(rule: BurnRateRule, read: WindowReader, previousSeverity: AlertSeverity | undefined): Condition {
	const { tier, firing, longBurn, shortBurn } = evaluateBurnRate(
		rule,
		(windowMinutes) => read(windowMinutes, rule.nodeName),
		previousSeverity,
	);
	const budget = `error budget of the ${roundTo(rule.slo * 100, 3)}% SLO${onNode(rule.nodeName)}`;
	const burns =
		`${formatBurn(longBurn)} over ${tier.longWindowMinutes} min and ${formatBurn(shortBurn)} over ` +
		`${tier.shortWindowMinutes} min (${tier.severity} above ${tier.threshold}× in both)`;
	return {
		ruleId: rule.id,
		metric: 'burnRate',
		comparator: '>',
		threshold: tier.threshold,
		windowMinutes: tier.longWindowMinutes,
		severity: tier.severity,
		nodeName: rule.nodeName,
		value: longBurn,
		firing,
		describe: (status) =>
			status === 'firing'
				? `${capitalize(budget)} is burning ${burns}: at this rate a ${SLO_PERIOD_DAYS}-day budget lasts ${budgetLasts(longBurn ?? 0)}`
				: `Resolved: ${budget} burns ${burns}`,
	};
}

function compare(value: number, comparator: AlertComparator, threshold: number): boolean {
	switch (comparator) {
		case '>':
			return value > threshold;
		case '>=':
			return value >= threshold;
		case '<':
			return value < threshold;
		case '<=':
			return value <= threshold;
	}
}

/** Several rules (and every burn-rate tier) read the same windows; each is summed once per evaluation. */
function memoize(readWindow: WindowReader): WindowReader {
	const cache = new Map<string, CounterSet>();
	return (windowMinutes, nodeName) => {
		const key = windowKey(windowMinutes, nodeName);
		let counters = cache.get(key);
		if (counters === undefined) cache.set(key, (counters = readWindow(windowMinutes, nodeName)));
		return counters;
	};
}

function windowKey(windowMinutes: number, nodeName: string | undefined): string {
	return JSON.stringify([windowMinutes, nodeName ?? null]);
}

function onNode(nodeName: string | undefined): string {
	return nodeName === undefined ? '' : ` on "${nodeName}"`;
}

function callCount(calls: number): string {
	return calls === 1 ? '1 call' : `${calls} calls`;
}

function formatBurn(burn: number | null): string {
	return burn === null ? 'nothing (no calls)' : `${burn}×`;
}

function budgetLasts(burn: number): string {
	const hours = (SLO_PERIOD_DAYS * 24) / burn;
	return hours < 48 ? `${roundTo(hours, 1)} hours` : `${roundTo(hours / 24, 1)} days`;
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
