import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { CounterSet, isUnitOfWork, MINUTE_MS } from '../../../lib/metrics';
import { alertWindows, evaluateAlerts, parseAlertState, type AlertState } from '../../../lib/monitor/analysis';
import { lastMinutes } from '../../../lib/monitor/timeWindow';
import type { JsonValue } from '../../../lib/shared/json';
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
	const readingsByWindow = new Map<number, Awaited<ReturnType<typeof store.metrics.read>>>();
	const windowMinutes = new Set(alertWindows(settings.alertRules, settings.burnRateRules).map((window) => window.windowMinutes));
	await Promise.all(
		[...windowMinutes].map(async (minutes) => {
			const { current } = lastMinutes(minutes, now);
			readingsByWindow.set(minutes, await store.metrics.read({ scope, sinceMs: current.sinceMs, untilMs: current.untilMs }));
		}),
	);
	// Rules speak of calls, latency and errors of units of work, as Get Metrics reports them.
	const readWindow = (minutes: number, nodeName?: string): CounterSet => {
		const total = new CounterSet();
		for (const reading of readingsByWindow.get(minutes) ?? []) {
			if (isUnitOfWork(reading) && (nodeName === undefined || reading.nodeName === nodeName)) total.add(reading.counters);
		}
		return total;
	};

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
