import type { CounterSet } from '../../metrics';
import type { AlertSeverity, BurnRateRule } from './alertRules';
import { roundTo } from './format';

export interface BurnRateTier {
	severity: Extract<AlertSeverity, 'critical' | 'warning'>;
	/** Fires when the burn rate is above this over both windows. */
	threshold: number;
	longWindowMinutes: number;
	shortWindowMinutes: number;
}

/**
 * Multi-window burn-rate alerting as in Google's SRE workbook ("Alerting on SLOs"), for a 30-day budget:
 * 14.4× over an hour spends 2% of the month's budget in that hour, 6× over six hours spends 5% in those hours.
 * The long window makes an alert significant; the short one, which must burn too, makes it stop soon after
 * the problem does instead of an hour later.
 */
export const BURN_RATE_TIERS: readonly BurnRateTier[] = [
	{ severity: 'critical', threshold: 14.4, longWindowMinutes: 60, shortWindowMinutes: 5 },
	{ severity: 'warning', threshold: 6, longWindowMinutes: 360, shortWindowMinutes: 30 },
];

/** Every window the tiers read, for a caller that fetches windows before evaluating. */
export const BURN_RATE_WINDOWS_MINUTES: readonly number[] = BURN_RATE_TIERS.flatMap((tier) => [
	tier.longWindowMinutes,
	tier.shortWindowMinutes,
]);

/** The budget period the burn rates are meant for; used to say how long the budget would last. */
export const SLO_PERIOD_DAYS = 30;

export interface BurnRateReading {
	/** The tier that fires, or (when none does) the one the rule was firing at, else the critical tier. */
	tier: BurnRateTier;
	firing: boolean;
	/** Burn over the tier's long and short windows; null for a window without calls. */
	longBurn: number | null;
	shortBurn: number | null;
}

/** errorRate / (1 − slo): 1 spends the budget exactly over the SLO period, 2 twice as fast. */
export function burnRateOf(counters: CounterSet, slo: number): number | null {
	if (counters.calls === 0) return null;
	// Rounded before comparing so that what an alert shows is what was compared (0.144 / 0.01 is not 14.4 in floats).
	return roundTo(counters.errors / counters.calls / (1 - slo), 2);
}

export function evaluateBurnRate(
	rule: BurnRateRule,
	readWindow: (windowMinutes: number) => CounterSet,
	previousSeverity?: AlertSeverity,
): BurnRateReading {
	const readings = BURN_RATE_TIERS.map((tier) => {
		const longBurn = burnRateOf(readWindow(tier.longWindowMinutes), rule.slo);
		const shortBurn = burnRateOf(readWindow(tier.shortWindowMinutes), rule.slo);
		const firing = longBurn !== null && shortBurn !== null && longBurn > tier.threshold && shortBurn > tier.threshold;
		return { tier, firing, longBurn, shortBurn };
	});
	return (
		readings.find((reading) => reading.firing) ??
		readings.find((reading) => reading.tier.severity === previousSeverity) ??
		readings[0]
	);
}
