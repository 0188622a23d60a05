import { isPlainObject } from '../../shared/json';
import { ALERT_SEVERITIES, type AlertSeverity } from './alertRules';

/** One rule that is firing: since when, when it was last notified, and at which severity. Times in epoch ms. */
export type FiringAlert = {
	ruleId: string;
	since: number;
	notifiedAt: number;
	severity: AlertSeverity;
};

/**
 * What alert evaluation remembers between executions; persisted in the workflow's static data, so plain JSON.
 * Only firing rules have an entry (a resolved rule's entry is removed, which is what keeps it silent), and
 * entries of rules that no longer exist are dropped, so it never holds more entries than there are rules.
 * A list rather than an object keyed by rule id, so that no id (`__proto__`, say) can collide with a property.
 * Type aliases rather than interfaces, so that a state is assignable to `JsonValue` as it stands.
 */
export type AlertState = {
	version: 1;
	firing: FiringAlert[];
};

export function emptyAlertState(): AlertState {
	return { version: 1, firing: [] };
}

/**
 * Reads a persisted state. Nothing yet (`undefined`, `null` or `{}`, a record never written) gives an empty
 * state; anything else malformed throws a `TypeError` saying what is wrong, so the caller can reset it.
 */
export function parseAlertState(json: unknown): AlertState {
	if (json === undefined || json === null) return emptyAlertState();
	if (!isPlainObject(json)) throw new TypeError('Expected alert state to be an object');
	if (Object.keys(json).length === 0) return emptyAlertState();
	if (json.version !== 1) throw new TypeError(`Expected alert state version 1, got ${String(json.version)}`);
	if (!Array.isArray(json.firing)) throw new TypeError('Expected alert state `firing` to be a list');
	const firing = json.firing.map((entry: unknown, index: number): FiringAlert => {
		if (!isPlainObject(entry)) throw new TypeError(`Expected alert state entry ${index} to be an object`);
		const { ruleId, since, notifiedAt, severity } = entry;
		if (typeof ruleId !== 'string' || ruleId === '') {
			throw new TypeError(`Expected alert state entry ${index} to have a non-empty string \`ruleId\``);
		}
		if (!isEpochMs(since) || !isEpochMs(notifiedAt)) {
			throw new TypeError(`Expected alert state entry "${ruleId}" to have epoch-ms \`since\` and \`notifiedAt\``);
		}
		if (!ALERT_SEVERITIES.includes(severity as AlertSeverity)) {
			throw new TypeError(`Expected alert state entry "${ruleId}" to have \`severity\` one of ${ALERT_SEVERITIES.join(', ')}`);
		}
		return { ruleId, since, notifiedAt, severity: severity as AlertSeverity };
	});
	return { version: 1, firing };
}

function isEpochMs(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
