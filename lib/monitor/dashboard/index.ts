export { renderDashboardHtml, DASHBOARD_BOTTLENECKS, MIN_REFRESH_SECONDS } from './renderDashboard';
export type { DashboardCache, DashboardComponent, DashboardData } from './dashboardData';
export { slowestNodesByWorkflow, SLOWEST_NODES_PER_WORKFLOW, type SlowNode } from './slowestNodes';
export const DASHBOARD_CONTENT_TYPE = 'text/html; charset=utf-8';
