import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { MINUTE_MS } from '../../../lib/metrics';
import { evaluateAlerts, parseAlertState, type AlertState } from '../../../lib/monitor/analysis';
import type { JsonValue } from '../../../lib/shared/json';
import { readAlertWindows } from './alertWindows';
import { readSettings } from './monitorSettings';
import { listItems, readScope, summaryItem, type OperationContext, type OperationResult } from './operationContext';

/** Only the scope, window and output fields it shares with other operations (fields.ts, operationContext.ts). */
export const description: INodeProperties[] = [];

/**
 * Evaluates the stored (or default) rules. Output 1 ("Report") has one summary item; output 2 ("Alerts") one item
 * per alert to send: newly firing, still firing after the cooldown, or resolved (once).
 */
export async function execute({ context, store, items, now }: OperationContext): Promise<OperationResult> {
	const scope = readScope(context);
	const settings = await readSettings(store, context.logger);
	const readWindow = await readAlertWindows(store, scope, settings, now);

	const stateKey = `perfMonitor:alerts:${context.getNode().name}`;
	const previousState = parseAlertState((await store.records.get(stateKey))?.value) as AlertState;
	const result = evaluateAlerts({
		rules: settings.alertRules,
		burnRateRules: settings.burnRateRules,
		readWindow,
		now,
		state: previousState,
		cooldownMs: settings.alertCooldownMinutes * MINUTE_MS,
	});
	if (result.stateReset) context.logger.warn(`perf-optimizer: alert state of "${context.getNode().name}" was unreadable and started over (${result.stateReset})`);
	await store.records.set(stateKey, result.state as unknown as JsonValue);

	const firing = result.evaluations.filter((evaluation) => evaluation.firing).length;
	const report = summaryItem(
		{
			scope,
			checkedAt: new Date(now).toISOString(),
			rules: result.evaluations.length,
			firing,
			sent: result.alerts.length,
			evaluations: result.evaluations as unknown as IDataObject[],
		},
		items,
	);
	return [[report], listItems(result.alerts as unknown as IDataObject[], items)];
}
