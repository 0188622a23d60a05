import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { isUnitOfWork, rollupTotal, summarize } from '../../../lib/metrics';
import { buildTrend, emptyAlertState, evaluateAlerts, findBottlenecks, healthScore } from '../../../lib/monitor/analysis';
import { DASHBOARD_CONTENT_TYPE, renderDashboardHtml } from '../../../lib/monitor/dashboard';
import { SettingsReader } from '../../shared/settings';
import { readText } from '../../shared/textParameter';
import { readAlertWindows } from './alertWindows';
import { cacheRows } from './cacheStatistics';
import { componentsOf, componentSummary } from './components';
import { readSettings as readMonitorSettings } from './monitorSettings';
import { readScope, readWindow, summaryItem, type OperationContext, type OperationResult } from './operationContext';

const showForDashboard = { show: { operation: ['renderDashboard'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Dashboard Title',
		name: 'dashboardTitle',
		type: 'string',
		default: 'Perf Optimizer',
		displayOptions: showForDashboard,
	},
	{
		displayName: 'Auto-Refresh (Seconds)',
		name: 'refreshSeconds',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 3600 },
		default: 30,
		description: 'How often the open page reloads itself; 0 for never. At least 2 seconds.',
		displayOptions: showForDashboard,
	},
];

export interface DashboardSettings {
	title: string;
	refreshSeconds: number;
}

/** Read before the state is opened: a bad title or interval fails without touching it. */
export function readSettings(context: IExecuteFunctions): DashboardSettings {
	const settings = new SettingsReader(context, description);
	const title = readText(context.getNodeParameter('dashboardTitle', 0, 'Perf Optimizer'), (problem) =>
		new NodeOperationError(context.getNode(), `'Dashboard Title' ${problem}`, { itemIndex: 0 }),
	);
	const refreshSeconds = settings.number('refreshSeconds', { fallback: 30, minimum: 0, maximum: 3600 });
	return { title: title.trim() || 'Perf Optimizer', refreshSeconds: refreshSeconds > 0 ? Math.max(2, refreshSeconds) : 0 };
}

/** Windows longer than this are drawn per hour: a day of minutes is more points than a phone can show. */
const MINUTE_BUCKETS_UP_TO = 360;

/** One self-contained HTML page with everything the other reading operations report, for a Respond to Webhook node. */
export async function execute({ context, store, items, now, settings }: OperationContext<DashboardSettings>): Promise<OperationResult> {
	const scope = readScope(context);
	const { current, previous } = readWindow(context, now);
	const window = { scope, sinceMs: current.sinceMs, untilMs: current.untilMs };
	const monitorSettings = await readMonitorSettings(store, context.logger);
	const [readings, previousReadings, reports, minutePoints, readAlertWindow] = await Promise.all([
		store.metrics.read(window),
		store.metrics.read({ scope, sinceMs: previous.sinceMs, untilMs: previous.untilMs }),
		store.caches.reports(scope),
		store.metrics.minuteSeries(window, isUnitOfWork),
		readAlertWindows(store, scope, monitorSettings, now),
	]);
	const components = componentsOf(readings);
	// An empty state with no cooldown makes every firing rule an alert with its message; nothing is stored,
	// so Check Alerts' own notifications are unaffected.
	const alerts = evaluateAlerts({
		rules: monitorSettings.alertRules,
		burnRateRules: monitorSettings.burnRateRules,
		readWindow: readAlertWindow,
		now,
		state: emptyAlertState(),
		cooldownMs: 0,
	}).alerts.filter((alert) => alert.status === 'firing');
	const workflow = context.getWorkflow();
	const html = renderDashboardHtml({
		title: settings.title,
		scope,
		windowMinutes: current.minutes,
		generatedAt: now,
		refreshSeconds: settings.refreshSeconds,
		workflowNames: workflow.id && workflow.name ? { [workflow.id]: workflow.name } : {},
		latencySloMs: monitorSettings.latencySloMs,
		total: summarize(rollupTotal(readings), current.minutes),
		health: healthScore(components, { latencySloMs: monitorSettings.latencySloMs }),
		components: components.map((component) => componentSummary(component, current.minutes)).sort((a, b) => b.calls - a.calls),
		bottlenecks: findBottlenecks(components, componentsOf(previousReadings), current.minutes),
		caches: cacheRows(reports, readings, current.minutes),
		alerts,
		trend: buildTrend(minutePoints, { bucket: current.minutes > MINUTE_BUCKETS_UP_TO ? 'hour' : 'minute', sinceMs: current.sinceMs, untilMs: current.untilMs }),
	});
	return [[summaryItem({ contentType: DASHBOARD_CONTENT_TYPE, scope, windowMinutes: current.minutes, bytes: Buffer.byteLength(html), html }, items)]];
}
