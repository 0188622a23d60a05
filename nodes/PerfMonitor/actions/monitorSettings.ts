import { DEFAULT_ALERT_RULES, validateAlertRules, validateBurnRateRules, type AlertRule, type BurnRateRule } from '../../../lib/monitor/analysis';
import type { StateStore } from '../../../lib/state';
import type { JsonValue } from '../../../lib/shared/json';

/** Settings the Configure operation stores with the workflow and the other operations read. */
export interface MonitorSettings {
	/** p95 latency that counts as healthy, for the health score. */
	latencySloMs: number;
	/** How long a still-firing alert stays quiet before it is sent again. */
	alertCooldownMinutes: number;
	alertRules: AlertRule[];
	burnRateRules: BurnRateRule[];
}

export const SETTINGS_RECORD = 'perfMonitor:settings';

export const DEFAULT_SETTINGS: MonitorSettings = {
	latencySloMs: 2000,
	alertCooldownMinutes: 15,
	alertRules: DEFAULT_ALERT_RULES,
	burnRateRules: [],
};

/** Stored settings over the defaults; a stored part that no longer validates falls back to its default. */
export async function readSettings(store: StateStore): Promise<MonitorSettings> {
	const stored = ((await store.getRecord(SETTINGS_RECORD))?.value ?? {}) as Partial<Record<keyof MonitorSettings, unknown>>;
	const positive = (value: unknown, fallback: number) => (typeof value === 'number' && value >= 0 ? value : fallback);
	const orDefault = <T>(read: () => T, fallback: T): T => {
		try {
			return read();
		} catch {
			return fallback;
		}
	};
	return {
		latencySloMs: positive(stored.latencySloMs, DEFAULT_SETTINGS.latencySloMs) || DEFAULT_SETTINGS.latencySloMs,
		alertCooldownMinutes: positive(stored.alertCooldownMinutes, DEFAULT_SETTINGS.alertCooldownMinutes),
		alertRules: stored.alertRules === undefined ? DEFAULT_SETTINGS.alertRules : orDefault(() => validateAlertRules(stored.alertRules), DEFAULT_SETTINGS.alertRules),
		burnRateRules: stored.burnRateRules === undefined ? [] : orDefault(() => validateBurnRateRules(stored.burnRateRules), []),
	};
}

export async function writeSettings(store: StateStore, settings: MonitorSettings): Promise<void> {
	await store.setRecord(SETTINGS_RECORD, settings as unknown as JsonValue);
}
