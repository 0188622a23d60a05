import { CounterSet, isUnitOfWork } from '../../../lib/metrics';
import { alertWindows, type WindowReader } from '../../../lib/monitor/analysis';
import { lastMinutes } from '../../../lib/monitor/timeWindow';
import type { MetricsReading, StateStore } from '../../../lib/state';
import type { MonitorSettings } from './monitorSettings';

/**
 * Reads every window the rules look at (once each, in parallel) and returns the reader alert evaluation takes.
 * Rules speak of calls, latency and errors of units of work, as Get Metrics reports them.
 */
export async function readAlertWindows(store: StateStore, scope: 'workflow' | 'all', settings: MonitorSettings, now: number): Promise<WindowReader> {
	const readingsByWindow = new Map<number, MetricsReading[]>();
	const windowMinutes = new Set(alertWindows(settings.alertRules, settings.burnRateRules).map((window) => window.windowMinutes));
	await Promise.all(
		[...windowMinutes].map(async (minutes) => {
			const { current } = lastMinutes(minutes, now);
			readingsByWindow.set(minutes, await store.metrics.read({ scope, sinceMs: current.sinceMs, untilMs: current.untilMs }));
		}),
	);
	return (minutes: number, nodeName?: string): CounterSet => {
		const total = new CounterSet();
		for (const reading of readingsByWindow.get(minutes) ?? []) {
			if (isUnitOfWork(reading) && (nodeName === undefined || reading.nodeName === nodeName)) total.add(reading.counters);
		}
		return total;
	};
}
