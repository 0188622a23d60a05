import { isPackageComponent } from '../../metrics';
import { ALERT_SEVERITIES, type Alert, type Bottleneck } from '../analysis';
import { renderTrendSvg } from '../chart';
import type { DashboardCache, DashboardComponent, DashboardData } from './dashboardData';
import { bytes, count, escapeHtml, ms, percent, table, usd, type Column } from './html';
import { slowestNodesByWorkflow } from './slowestNodes';
import { DASHBOARD_CSS } from './styles';

/** Bottlenecks shown: the page is for looking, the full ranking is one Get Bottlenecks away. */
export const DASHBOARD_BOTTLENECKS = 10;
/** Reloads faster than this would make the page a load test of its own workflow. */
export const MIN_REFRESH_SECONDS = 2;

/**
 * The performance dashboard as one self-contained HTML page: inline CSS and SVG, no script, font, image or link
 * to anything outside it, so it works behind any proxy and shows nothing a viewer's browser would fetch. Every
 * user-supplied string (title, node, workflow and cache names, alert messages) is escaped here.
 */
export function renderDashboardHtml(data: DashboardData): string {
	const refresh = data.refreshSeconds > 0 ? `<meta http-equiv="refresh" content="${Math.max(MIN_REFRESH_SECONDS, Math.round(data.refreshSeconds))}">` : '';
	const name = (workflowId: string) => escapeHtml(data.workflowNames[workflowId] ?? workflowId);
	const sections = [
		header(data),
		cards(data),
		section('Trends', `<div class="chart">${renderTrendSvg(data.trend.points, { title: `${data.title} - last ${data.windowMinutes} min` })}</div>`),
		section('Components', componentsTable(data, name)),
		section('Bottlenecks', bottlenecksTable(data.bottlenecks.slice(0, DASHBOARD_BOTTLENECKS), data.scope === 'all' ? name : undefined)),
		section('Caches', cachesTable(data.caches, name)),
		section('Active alerts', alertsList(data.alerts)),
		slowestNodesSection(data.components, name),
	];
	return [
		'<!DOCTYPE html>',
		'<html lang="en"><head><meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		// An empty inline icon: otherwise the browser asks the server for /favicon.ico, a request n8n answers 404.
		'<link rel="icon" href="data:,">',
		refresh,
		`<title>${escapeHtml(data.title)}</title>`,
		`<style>${DASHBOARD_CSS}</style>`,
		'</head><body><main>',
		...sections.filter((part) => part !== ''),
		'</main></body></html>',
		'',
	].join('\n');
}

function section(title: string, body: string): string {
	return `<section><h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

function header(data: DashboardData): string {
	const scope = data.scope === 'all' ? 'all workflows' : 'this workflow';
	const refresh = data.refreshSeconds > 0 ? `, refreshes every ${Math.max(MIN_REFRESH_SECONDS, Math.round(data.refreshSeconds))} s` : '';
	const at = new Date(data.generatedAt).toISOString().replace('T', ' ').slice(0, 19);
	return `<header><h1>${escapeHtml(data.title)}</h1><div class="meta">Last ${data.windowMinutes} min, ${scope}; read at <time id="generated-at">${at} UTC</time>${refresh}</div></header>`;
}

function scoreClass(score: number): string {
	return score >= 90 ? 'good' : score >= 70 ? 'warn' : 'bad';
}

function cards(data: DashboardData): string {
	const { total, health } = data;
	const card = (id: string, label: string, value: string, className = '') =>
		`<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value${className ? ` ${className}` : ''}" id="${id}">${value}</div></div>`;
	return [
		'<div class="cards">',
		card('health-score', 'Health score', String(health.score), scoreClass(health.score)),
		card('total-calls', 'Calls', count(total.calls)),
		card('error-rate', 'Error rate', percent(total.errorRate), (total.errorRate ?? 0) > 0.02 ? 'bad' : ''),
		card('p95', 'p95 latency', ms(total.latencyMs.p95)),
		card('hit-rate', 'Cache hit rate', percent(total.cache.hitRate)),
		card('tokens', 'Tokens in / out', `${count(total.tokens.in)} / ${count(total.tokens.out)}`),
		card('cost', 'Cost', usd(total.cost.usd)),
		card('saved-cost', 'Saved cost', usd(total.cost.savedUsd), total.cost.savedUsd > 0 ? 'good' : ''),
		'</div>',
		`<details><summary>How the health score is computed</summary><code>${escapeHtml(health.formula)}</code></details>`,
	].join('\n');
}

type WorkflowName = (workflowId: string) => string;

function componentsTable(data: DashboardData, workflowName: WorkflowName): string {
	if (data.components.length === 0) return '<p class="muted">No calls in this window.</p>';
	const scores = new Map(data.health.components.map((entry) => [`${entry.workflowId ?? ''}\u0001${entry.nodeName}`, entry.score]));
	const columns: Array<Column<DashboardComponent>> = [
		...(data.scope === 'all' ? [{ heading: 'Workflow', cell: (row: DashboardComponent) => workflowName(row.workflowId) }] : []),
		{ heading: 'Node', cell: (row) => escapeHtml(row.node) },
		{ heading: 'Component', cell: (row) => escapeHtml(row.component) },
		{ heading: 'Health', numeric: true, cell: (row) => healthCell(scores.get(`${row.workflowId}\u0001${row.node}`)) },
		{ heading: 'Calls', numeric: true, cell: (row) => count(row.calls) },
		{ heading: 'Errors', numeric: true, cell: (row) => `${count(row.errors)} (${percent(row.errorRate)})` },
		{ heading: 'p50', numeric: true, cell: (row) => ms(row.latencyMs.p50) },
		{ heading: 'p95', numeric: true, cell: (row) => ms(row.latencyMs.p95) },
		{ heading: 'p99', numeric: true, cell: (row) => ms(row.latencyMs.p99) },
		{ heading: 'Hit rate', numeric: true, cell: (row) => percent(row.cache.hitRate) },
		{ heading: 'Tokens in / out / saved', numeric: true, cell: (row) => `${count(row.tokens.in)} / ${count(row.tokens.out)} / ${count(row.tokens.saved)}` },
		{ heading: 'Cost', numeric: true, cell: (row) => usd(row.cost.usd) },
		{ heading: 'Saved', numeric: true, cell: (row) => usd(row.cost.savedUsd) },
	];
	return table(columns, data.components, (row) => `data-node="${escapeHtml(row.node)}" data-component="${escapeHtml(row.component)}"`);
}

function healthCell(score: number | undefined): string {
	return score === undefined ? '–' : `<span class="${scoreClass(score)}">${score}</span>`;
}

/** `workflowName` only across workflows: within one, the workflow goes without saying. */
function bottlenecksTable(bottlenecks: readonly Bottleneck[], workflowName?: WorkflowName): string {
	if (bottlenecks.length === 0) return '<p class="muted">No bottlenecks: nothing ran in this window.</p>';
	const impactClass = { high: 'bad', medium: 'warn', low: 'good' } as const;
	return table<Bottleneck>(
		[
			{ heading: 'Node', cell: (row) => (workflowName === undefined || row.workflowId === undefined ? '' : `${workflowName(row.workflowId)} / `) + escapeHtml(row.nodeName) },
			{ heading: 'Impact', cell: (row) => `<span class="${impactClass[row.impact]}">${row.impact}</span>` },
			{ heading: 'Share of time', numeric: true, cell: (row) => `${row.shareOfTimePct}%` },
			{ heading: 'p95', numeric: true, cell: (row) => ms(row.p95Ms) },
			{ heading: 'vs before', numeric: true, cell: (row) => (row.latencyRegressionPct === null ? '–' : `${row.latencyRegressionPct > 0 ? '+' : ''}${row.latencyRegressionPct}%`) },
			{ heading: 'Suggestions', wrap: true, cell: (row) => (row.suggestions.length === 0 ? '–' : row.suggestions.map(escapeHtml).join('<br>')) },
		],
		bottlenecks,
	);
}

function cachesTable(caches: readonly DashboardCache[], workflowName: WorkflowName): string {
	if (caches.length === 0) return '<p class="muted">No cache in use.</p>';
	return table<DashboardCache>(
		[
			{ heading: 'Workflow', cell: (row) => workflowName(row.workflowId) },
			{ heading: 'Cache', cell: (row) => escapeHtml(row.cache) },
			{ heading: 'Entries', numeric: true, cell: (row) => `${count(row.entries)} / ${count(row.maxEntries)}` },
			{ heading: 'Size', numeric: true, cell: (row) => bytes(row.bytes) },
			{ heading: 'Lookups', numeric: true, cell: (row) => count(row.window.lookups) },
			{ heading: 'Hit rate', numeric: true, cell: (row) => percent(row.window.hitRate) },
			{ heading: 'Tokens saved', numeric: true, cell: (row) => count(row.window.tokensSaved) },
			{ heading: 'Saved', numeric: true, cell: (row) => usd(row.window.costSavedUsd) },
		],
		caches,
	);
}

function alertsList(alerts: readonly Alert[]): string {
	if (alerts.length === 0) return '<p class="muted" id="alerts-none">No alert rule is firing.</p>';
	const severityClass = { critical: 'bad', warning: 'warn', info: 'muted' } as const;
	// Most severe first; the sort is stable, so rules keep their order within a severity.
	const ordered = [...alerts].sort((a, b) => ALERT_SEVERITIES.indexOf(b.severity) - ALERT_SEVERITIES.indexOf(a.severity));
	const entries = ordered.map((alert) => `<li><span class="${severityClass[alert.severity]}">${escapeHtml(alert.severity)}</span> ${escapeHtml(alert.message)}</li>`);
	return `<ul class="alerts">\n${entries.join('\n')}\n</ul>`;
}

/** Only when readings of nodes other than ours exist: with our nodes alone the components table says it all. */
function slowestNodesSection(components: readonly DashboardComponent[], workflowName: WorkflowName): string {
	if (!components.some((component) => component.calls > 0 && !isPackageComponent(component.component))) return '';
	const tables = [...slowestNodesByWorkflow(components)].map(
		([workflowId, rows]) =>
			`<h3>${workflowName(workflowId)}</h3>\n` +
			table(
				[
					{ heading: 'Node', cell: (row) => escapeHtml(row.node) },
					{ heading: 'Type', cell: (row) => escapeHtml(row.component) },
					{ heading: 'Calls', numeric: true, cell: (row) => count(row.calls) },
					{ heading: 'p95', numeric: true, cell: (row) => ms(row.p95Ms) },
					{ heading: 'Total time', numeric: true, cell: (row) => ms(row.totalMs) },
				],
				rows,
			),
	);
	return `<section id="slowest-nodes"><h2>Slowest nodes of each workflow</h2>\n${tables.join('\n')}\n</section>`;
}
