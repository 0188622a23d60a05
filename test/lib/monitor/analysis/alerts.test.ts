import { CounterSet } from '../../../../lib/metrics/counterSet';
import { alertWindows, evaluateAlerts, type AlertEvaluationInput } from '../../../../lib/monitor/analysis/alerts';
import { DEFAULT_ALERT_RULES, validateAlertRules, validateBurnRateRules, type AlertRule } from '../../../../lib/monitor/analysis/alertRules';
import { emptyAlertState, parseAlertState, type AlertState } from '../../../../lib/monitor/analysis/alertState';
import { BURN_RATE_WINDOWS_MINUTES } from '../../../../lib/monitor/analysis/burnRate';
import type { JsonValue } from '../../../../lib/shared/json';
import { binned, countersOf, MINUTE, T0, times } from './fixtures';

const errorRule: AlertRule = { id: 'errors', metric: 'errorRate', comparator: '>', value: 0.05, windowMinutes: 5, severity: 'warning' };

/** Counter sets per window length (and optionally per node), as a store would sum them. */
function windows(byWindow: Record<number, CounterSet>, byNode: Record<string, Record<number, CounterSet>> = {}) {
	return (windowMinutes: number, nodeName?: string) =>
		(nodeName === undefined ? byWindow : (byNode[nodeName] ?? {}))[windowMinutes] ?? new CounterSet();
}

function evaluate(overrides: Partial<AlertEvaluationInput>) {
	return evaluateAlerts({ rules: [errorRule], readWindow: windows({}), now: T0, state: emptyAlertState(), cooldownMs: 10 * MINUTE, ...overrides });
}

describe('evaluateAlerts', () => {
	it('notifies a new alert, stays quiet during the cooldown, repeats after it, resolves once, then is silent', () => {
		const failing = windows({ 5: countersOf(times(2, { outcome: 'server' }), times(8)) });
		const healthy = windows({ 5: countersOf(times(10)) });

		const first = evaluate({ readWindow: failing, now: T0 });
		expect(first.alerts).toEqual([
			{
				ruleId: 'errors',
				status: 'firing',
				severity: 'warning',
				metric: 'errorRate',
				value: 0.2,
				threshold: 0.05,
				comparator: '>',
				windowMinutes: 5,
				message: 'Error rate is 20% over the last 5 min (alert when > 5%; 10 calls)',
				firingSince: '2026-01-01T10:00:00.000Z',
			},
		]);
		expect(first.evaluations).toEqual([{ ruleId: 'errors', value: 0.2, firing: true }]);
		expect(first.state).toEqual({ version: 1, firing: [{ ruleId: 'errors', since: T0, notifiedAt: T0, severity: 'warning' }] });

		const during = evaluate({ readWindow: failing, now: T0 + 9 * MINUTE, state: first.state });
		expect(during.alerts).toEqual([]);
		expect(during.evaluations).toEqual([{ ruleId: 'errors', value: 0.2, firing: true }]);
		expect(during.state).toEqual(first.state);

		const after = evaluate({ readWindow: failing, now: T0 + 10 * MINUTE, state: during.state });
		expect(after.alerts).toHaveLength(1);
		expect(after.alerts[0]).toMatchObject({ status: 'firing', firingSince: '2026-01-01T10:00:00.000Z' });
		expect(after.state.firing[0]).toEqual({ ruleId: 'errors', since: T0, notifiedAt: T0 + 10 * MINUTE, severity: 'warning' });

		const resolved = evaluate({ readWindow: healthy, now: T0 + 11 * MINUTE, state: after.state });
		expect(resolved.alerts).toEqual([
			expect.objectContaining({
				status: 'resolved',
				severity: 'warning',
				value: 0,
				message: 'Resolved: error rate is 0% over the last 5 min (alert when > 5%; 10 calls)',
				firingSince: '2026-01-01T10:00:00.000Z',
			}),
		]);
		expect(resolved.state).toEqual({ version: 1, firing: [] });

		const silent = evaluate({ readWindow: healthy, now: T0 + 12 * MINUTE, state: resolved.state });
		expect(silent.alerts).toEqual([]);
		expect(silent.evaluations).toEqual([{ ruleId: 'errors', value: 0, firing: false }]);
	});

	it('reads the rule window of its node only, and names the node', () => {
		const rule: AlertRule = { id: 'slow-ask', metric: 'p95LatencyMs', comparator: '>=', value: 5000, windowMinutes: 15, severity: 'critical', nodeName: 'Ask' };
		const readWindow = windows({ 15: countersOf(times(50, { durationMs: 10 })) }, { Ask: { 15: countersOf(times(4, { durationMs: 8000 })) } });
		const { alerts } = evaluate({ rules: [rule], readWindow });
		expect(alerts).toEqual([
			expect.objectContaining({
				ruleId: 'slow-ask',
				severity: 'critical',
				nodeName: 'Ask',
				value: binned(8000),
				message: `P95 latency is ${Math.round(binned(8000) * 10) / 10} ms over the last 15 min on "Ask" (alert when >= 5000 ms; 4 calls)`,
			}),
		]);
	});

	it('compares with each comparator', () => {
		const readWindow = windows({ 60: countersOf(times(30)) }); // 30 calls over 60 min: 0.5 per minute
		const rule = (comparator: AlertRule['comparator'], value: number): AlertRule => ({
			id: `${comparator}${value}`,
			metric: 'throughputPerMin',
			comparator,
			value,
			windowMinutes: 60,
			severity: 'info',
		});
		const rules = [rule('>', 0.5), rule('>=', 0.5), rule('<', 0.5), rule('<=', 0.5), rule('<', 0.6)];
		expect(evaluate({ rules, readWindow }).evaluations.map((evaluation) => evaluation.firing)).toEqual([false, true, false, true, true]);
	});

	it('does not judge a rule with fewer calls than it needs, and resolves a firing one then', () => {
		const hitRule: AlertRule = { id: 'hits', metric: 'hitRate', comparator: '<', value: 0.2, windowMinutes: 60, severity: 'info' };
		// 19 misses: a 0% hit rate, but the default minimum for hit rates is 20 calls.
		expect(evaluate({ rules: [hitRule], readWindow: windows({ 60: countersOf(times(19, { cache: 'miss' })) }) }).evaluations).toEqual([
			{ ruleId: 'hits', value: 0, firing: false },
		]);
		expect(evaluate({ rules: [hitRule], readWindow: windows({ 60: countersOf(times(20, { cache: 'miss' })) }) }).evaluations[0].firing).toBe(true);
		// Without cache use there is no hit rate at all.
		expect(evaluate({ rules: [hitRule], readWindow: windows({ 60: countersOf(times(40)) }) }).evaluations).toEqual([
			{ ruleId: 'hits', value: null, firing: false },
		]);

		const firing = evaluate({ readWindow: windows({ 5: countersOf(times(1, { outcome: 'auth' })) }) });
		expect(firing.alerts[0].message).toBe('Error rate is 100% over the last 5 min (alert when > 5%; 1 call)');
		const quiet = evaluate({ readWindow: windows({}), now: T0 + MINUTE, state: firing.state });
		expect(quiet.alerts).toEqual([
			expect.objectContaining({
				status: 'resolved',
				value: null,
				message: 'Resolved: only 0 calls over the last 5 min, fewer than the 1 needed to judge the error rate',
			}),
		]);
	});

	it('judges call counts without calls, so a stopped workflow can alert', () => {
		const stopped: AlertRule = { id: 'stopped', metric: 'calls', comparator: '<', value: 1, windowMinutes: 60, severity: 'critical' };
		const { alerts } = evaluate({ rules: [stopped] });
		expect(alerts[0]).toMatchObject({ value: 0, message: 'Call count is 0 over the last 60 min (alert when < 1; 0 calls)' });
	});

	it('words cost and throughput in their units', () => {
		const rules: AlertRule[] = [
			{ id: 'cost', metric: 'costUsd', comparator: '>', value: 1, windowMinutes: 60, severity: 'warning' },
			{ id: 'busy', metric: 'throughputPerMin', comparator: '>', value: 0.1, windowMinutes: 60, severity: 'info' },
		];
		const { alerts } = evaluate({ rules, readWindow: windows({ 60: countersOf(times(12, { costUsd: 0.25 })) }) });
		expect(alerts.map((alert) => alert.message)).toEqual([
			'Cost is $3.00 over the last 60 min (alert when > $1.00; 12 calls)',
			'Throughput is 0.2 calls/min over the last 60 min (alert when > 0.1 calls/min; 12 calls)',
		]);
	});

	describe('burn rate', () => {
		const slo = { id: 'slo', slo: 0.99 };
		// Burn = error rate / 1%: 20% errors burn 20×, 10% burn 10×.
		const burning = (errorsIn100: number) => countersOf(times(errorsIn100, { outcome: 'server' }), times(100 - errorsIn100));

		it('is critical only when both the hour and the last 5 minutes burn faster than 14.4×', () => {
			const longOnly = evaluate({ rules: [], burnRateRules: [slo], readWindow: windows({ 60: burning(20), 5: burning(0), 360: burning(1), 30: burning(0) }) });
			expect(longOnly.evaluations).toEqual([{ ruleId: 'slo', value: 20, firing: false }]);
			expect(longOnly.alerts).toEqual([]);
			const shortOnly = evaluate({ rules: [], burnRateRules: [slo], readWindow: windows({ 60: burning(10), 5: burning(50) }) });
			expect(shortOnly.evaluations[0].firing).toBe(false);

			const both = evaluate({ rules: [], burnRateRules: [slo], readWindow: windows({ 60: burning(20), 5: burning(30) }) });
			expect(both.alerts).toEqual([
				{
					ruleId: 'slo',
					status: 'firing',
					severity: 'critical',
					metric: 'burnRate',
					value: 20,
					threshold: 14.4,
					comparator: '>',
					windowMinutes: 60,
					message:
						'Error budget of the 99% SLO is burning 20× over 60 min and 30× over 5 min (critical above 14.4× in both): at this rate a 30-day budget lasts 36 hours',
					firingSince: '2026-01-01T10:00:00.000Z',
				},
			]);
		});

		it('warns when both 6 hours and 30 minutes burn faster than 6×, and escalates at once', () => {
			const slow = windows({ 360: burning(10), 30: burning(7), 60: burning(10), 5: burning(0) });
			const noCalls = evaluate({ rules: [], burnRateRules: [{ ...slo, nodeName: 'Ask' }], readWindow: windows({}, { Ask: {} }) });
			expect(noCalls.evaluations[0]).toEqual({ ruleId: 'slo', value: null, firing: false });

			const warned = evaluate({ rules: [], burnRateRules: [slo], readWindow: slow });
			expect(warned.alerts[0]).toMatchObject({ severity: 'warning', value: 10, threshold: 6, windowMinutes: 360 });
			expect(warned.alerts[0].message).toBe(
				'Error budget of the 99% SLO is burning 10× over 360 min and 7× over 30 min (warning above 6× in both): at this rate a 30-day budget lasts 3 days',
			);
			// Within the cooldown, but now critical: notified at once, still firing since the warning.
			const worse = windows({ 360: burning(10), 30: burning(7), 60: burning(15), 5: burning(20) });
			const escalated = evaluate({ rules: [], burnRateRules: [slo], readWindow: worse, now: T0 + MINUTE, state: warned.state });
			expect(escalated.alerts).toEqual([expect.objectContaining({ severity: 'critical', value: 15, firingSince: '2026-01-01T10:00:00.000Z' })]);

			const over = evaluate({ rules: [], burnRateRules: [slo], readWindow: windows({ 60: burning(1), 5: burning(0) }), now: T0 + 2 * MINUTE, state: escalated.state });
			expect(over.alerts).toEqual([
				expect.objectContaining({
					status: 'resolved',
					severity: 'critical',
					message: 'Resolved: error budget of the 99% SLO burns 1× over 60 min and 0× over 5 min (critical above 14.4× in both)',
				}),
			]);
		});

		it('lists the windows it reads', () => {
			expect(BURN_RATE_WINDOWS_MINUTES).toEqual([60, 5, 360, 30]);
			expect(alertWindows([errorRule, { ...errorRule, id: 'again' }], [{ id: 'slo', slo: 0.9, nodeName: 'Ask' }])).toEqual([
				{ windowMinutes: 5 },
				{ windowMinutes: 60, nodeName: 'Ask' },
				{ windowMinutes: 5, nodeName: 'Ask' },
				{ windowMinutes: 360, nodeName: 'Ask' },
				{ windowMinutes: 30, nodeName: 'Ask' },
			]);
		});
	});

	it('reads each window once per evaluation', () => {
		const reads: string[] = [];
		const readWindow = (windowMinutes: number, nodeName?: string) => {
			reads.push(`${windowMinutes}:${nodeName ?? '*'}`);
			return new CounterSet();
		};
		evaluate({ rules: [errorRule, { ...errorRule, id: 'critical', value: 0.2 }], burnRateRules: [{ id: 'slo', slo: 0.999 }], readWindow });
		expect(reads.sort()).toEqual(['30:*', '360:*', '5:*', '60:*']);
	});

	describe('state', () => {
		it('drops entries of rules that no longer exist, without notifying them', () => {
			const state: AlertState = {
				version: 1,
				firing: [
					{ ruleId: 'gone', since: T0 - MINUTE, notifiedAt: T0 - MINUTE, severity: 'critical' },
					{ ruleId: 'errors', since: T0 - MINUTE, notifiedAt: T0 - MINUTE, severity: 'warning' },
				],
			};
			const result = evaluate({ readWindow: windows({ 5: countersOf(times(1, { outcome: 'server' })) }), state });
			expect(result.alerts).toEqual([]);
			expect(result.state.firing.map((entry) => entry.ruleId)).toEqual(['errors']);
		});

		it('is plain JSON that survives a round trip', () => {
			const { state } = evaluate({ readWindow: windows({ 5: countersOf(times(1, { outcome: 'server' })) }) });
			const json: JsonValue = state;
			expect(parseAlertState(JSON.parse(JSON.stringify(json)))).toEqual(state);
		});

		it('starts empty from nothing and resets an unreadable state, saying why', () => {
			expect(parseAlertState(undefined)).toEqual(emptyAlertState());
			expect(parseAlertState({})).toEqual(emptyAlertState());
			expect(() => parseAlertState({ version: 2, firing: [] })).toThrow('Expected alert state version 1, got 2');
			expect(() => parseAlertState({ version: 1, firing: [{ ruleId: 'x', since: 'yesterday', notifiedAt: 1, severity: 'info' }] })).toThrow(
				'epoch-ms',
			);
			const readWindow = windows({ 5: countersOf(times(1, { outcome: 'server' })) });
			const fresh = evaluate({ readWindow, state: {} as AlertState });
			expect(fresh.stateReset).toBeUndefined();
			const reset = evaluate({ readWindow, state: { version: 1, firing: 'lots' } as unknown as AlertState });
			expect(reset.stateReset).toBe('Expected alert state `firing` to be a list');
			expect(reset.alerts).toHaveLength(1);
		});
	});

	it('refuses bad rules and arguments with the rule and field named', () => {
		expect(() => evaluate({ rules: [errorRule, errorRule] })).toThrow('Expected alert rule ids to be unique, got "errors" twice');
		expect(() => evaluate({ burnRateRules: [{ id: 'errors', slo: 0.99 }] })).toThrow('got "errors" twice');
		expect(() => evaluate({ rules: [{ ...errorRule, metric: 'latency' as 'calls' }] })).toThrow('Expected alert rule "errors" to have `metric` one of');
		expect(() => evaluate({ rules: [{ ...errorRule, windowMinutes: 1441 }] })).toThrow('`windowMinutes` an integer from 1 to 1440, got 1441');
		expect(() => evaluate({ cooldownMs: -1 })).toThrow('Expected `cooldownMs`');
		expect(() => validateBurnRateRules([{ id: 'slo', slo: 99 }])).toThrow('between 0 and 1 exclusive');
		expect(() => validateAlertRules({})).toThrow('Expected alert rules to be a list');
	});

	it('ships default rules that validate', () => {
		expect(validateAlertRules(JSON.parse(JSON.stringify(DEFAULT_ALERT_RULES)))).toEqual(DEFAULT_ALERT_RULES);
		expect(DEFAULT_ALERT_RULES.map((rule) => [rule.metric, rule.comparator, rule.value, rule.windowMinutes, rule.severity])).toEqual([
			['errorRate', '>', 0.05, 5, 'warning'],
			['errorRate', '>', 0.2, 5, 'critical'],
			['p95LatencyMs', '>', 5000, 5, 'warning'],
			['hitRate', '<', 0.2, 60, 'info'],
		]);
		expect(DEFAULT_ALERT_RULES[3].minCalls).toBe(50);
	});
});

describe('alert rule ids', () => {
	it('names a rule without an id by what it checks', () => {
		const [rule] = validateAlertRules([{ metric: 'errorRate', comparator: '>', value: 0.1, windowMinutes: 5, severity: 'warning' }]);
		expect(rule.id).toBe('errorRate>0.1/5m');
	});
});
