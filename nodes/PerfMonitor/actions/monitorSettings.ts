import { DEFAULT_ALERT_RULES, validateAlertRules, validateBurnRateRules, type AlertRule, type BurnRateRule } from '../../../lib/monitor/analysis';
import type { EngineLogger } from '../../../lib/shared/logger';
import { processSingleton, type StateStore } from '../../../lib/state';
import type { JsonValue } from '../../../lib/shared/json';
import { describeType } from '../../shared/textParameter';

/** Stored values already warned about, by workflow, field and value: one warning per process and value. */
const settingsWarnings = processSingleton('perfMonitor:settingsWarnings', () => new Set<string>());

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

/** A number setting: its display label (for messages) and the range Configure accepts and reads accept. */
export interface NumberSettingSpec {
	label: string;
	minimum: number;
	maximum: number;
	/** Whether the minimum itself is refused (an SLO of 0 ms means nothing). */
	exclusiveMinimum?: boolean;
}

/**
 * Ranges of the number settings. Finite and bounded on purpose: JSON turns `Infinity` into `null`, and the
 * analyses refuse non-finite values, so one such setting used to break every later read.
 */
export const NUMBER_SETTINGS: Record<'latencySloMs' | 'alertCooldownMinutes', NumberSettingSpec> = {
	/** Up to one day: a slower p95 is no latency objective. */
	latencySloMs: { label: 'Latency SLO (Ms)', minimum: 0, maximum: 86_400_000, exclusiveMinimum: true },
	/** Up to 30 days: a longer silence would hide a firing alert for good. */
	alertCooldownMinutes: { label: 'Alert Cooldown (Minutes)', minimum: 0, maximum: 43_200 },
};

/**
 * The value as a number within the spec's range, or a sentence saying what is wrong with it. Numbers and
 * numeric text (what an expression over a webhook body gives) are accepted; anything else is refused by type.
 */
export function checkNumberSetting(value: unknown, spec: NumberSettingSpec): number | { problem: string } {
	const range = `${spec.exclusiveMinimum ? `above ${spec.minimum}` : `from ${spec.minimum}`} to ${spec.maximum}`;
	let number: number;
	if (typeof value === 'number') number = value;
	else if (typeof value === 'string' && value.trim() !== '') number = Number(value);
	else return { problem: `must be a number ${range}, got ${typeof value === 'string' ? 'empty text' : describeType(value)}` };
	const tooLow = spec.exclusiveMinimum ? !(number > spec.minimum) : !(number >= spec.minimum);
	if (!Number.isFinite(number) || tooLow || number > spec.maximum) {
		return { problem: `must be a finite number ${range}, got ${(typeof value === 'string' ? JSON.stringify(value) : String(value)).slice(0, 40)}` };
	}
	return number;
}

/**
 * Stored settings over the defaults. A stored part that does not validate (written by an older version, edited by
 * hand, `null` where JSON dropped an `Infinity`) falls back to its default, with one warning per process and value,
 * so a bad record never breaks a read.
 */
export async function readSettings(store: StateStore, logger?: EngineLogger): Promise<MonitorSettings> {
	const stored = ((await store.records.get(SETTINGS_RECORD))?.value ?? {}) as Partial<Record<keyof MonitorSettings, unknown>>;
	const warned = settingsWarnings(store.process);
	const fallBack = <T>(field: keyof MonitorSettings, label: string, problem: string, fallback: T): T => {
		const key = `${store.workflowId}|${field}|${JSON.stringify(stored[field] ?? null).slice(0, 200)}`;
		if (!warned.has(key)) {
			// Bounded: a hand-edited record changing on every run must not grow this set without end.
			if (warned.size >= 1000) warned.clear();
			warned.add(key);
			logger?.warn(`Perf Monitor: the stored setting '${label}' ${problem}; using the default until Configure saves a valid one`, {
				workflowId: store.workflowId,
			});
		}
		return fallback;
	};
	const number = (field: keyof typeof NUMBER_SETTINGS): number => {
		if (stored[field] === undefined) return DEFAULT_SETTINGS[field];
		const checked = checkNumberSetting(stored[field], NUMBER_SETTINGS[field]);
		return typeof checked === 'number' ? checked : fallBack(field, NUMBER_SETTINGS[field].label, checked.problem, DEFAULT_SETTINGS[field]);
	};
	const rules = <T>(field: 'alertRules' | 'burnRateRules', label: string, validate: (value: unknown) => T): T => {
		if (stored[field] === undefined) return DEFAULT_SETTINGS[field] as T;
		try {
			return validate(stored[field]);
		} catch (error) {
			return fallBack(field, label, `is not valid (${(error as Error).message})`, DEFAULT_SETTINGS[field] as T);
		}
	};
	return {
		latencySloMs: number('latencySloMs'),
		alertCooldownMinutes: number('alertCooldownMinutes'),
		alertRules: rules('alertRules', 'Alert Rules (JSON)', validateAlertRules),
		burnRateRules: rules('burnRateRules', 'Error Budget SLO', validateBurnRateRules),
	};
}

export async function writeSettings(store: StateStore, settings: MonitorSettings): Promise<void> {
	await store.records.set(SETTINGS_RECORD, settings as unknown as JsonValue);
}
