import type { MetricsSummary } from '../../metrics';
import type { Alert, Bottleneck, HealthReport, Trend } from '../analysis';

/** One component (a node of a workflow) as the dashboard lists it. */
export interface DashboardComponent extends MetricsSummary {
	workflowId: string;
	/** The node's name (user-supplied: escaped when drawn). */
	node: string;
	/** The node type without its package prefix (`optimizedAiCall`, or `httpRequest` for another package's node). */
	component: string;
}

/** One cache as the dashboard lists it: its size now and how it served calls in the window. */
export interface DashboardCache {
	workflowId: string;
	cache: string;
	entries: number;
	bytes: number;
	maxEntries: number;
	window: { lookups: number; hitRate: number | null; tokensSaved: number; costSavedUsd: number };
}

/** Everything the page shows; the operation reads it from the state, the renderer only draws it. */
export interface DashboardData {
	/** Shown as the page heading and in the tab (user-supplied: escaped). */
	title: string;
	scope: 'workflow' | 'all';
	windowMinutes: number;
	/** Epoch ms of the reading. */
	generatedAt: number;
	/** Seconds between automatic reloads; 0 for none. */
	refreshSeconds: number;
	/** Names of the workflows known by id (user-supplied: escaped); an id without a name is shown as the id. */
	workflowNames: Record<string, string>;
	latencySloMs: number;
	total: MetricsSummary;
	health: HealthReport;
	components: DashboardComponent[];
	bottlenecks: Bottleneck[];
	caches: DashboardCache[];
	/** Alerts whose rule is firing now. */
	alerts: Alert[];
	trend: Trend;
}
