export { MAX_PAGE_SIZE, analyzeExecutions, nodeComponentName, type AnalyzeExecutionsInput, type AnalyzeExecutionsResult } from './analyzeExecutions';
export {
	ExecutionsApi,
	ExecutionsApiError,
	instanceBaseUrl,
	normalizeApiBaseUrl,
	type ApiEndpoint,
	type ApiExecution,
	type ApiFetch,
	type ExecutionsPage,
} from './executionsApi';
export { FINISHED_STATUSES, SLOWEST_RUNS, WorkflowStats, executionUrl, type NodeReport, type SlowRun, type WorkflowReport } from './executionStats';
export { digestExecution, type ExecutionDigest, type NodeRun } from './nodeRuns';
export { parseProgress, progressKey, type ReadProgress } from './readProgress';
