export { processSingleton, processSingletonFamily } from './processSingleton';
export { ProcessState, resetSharedProcessState, sharedProcessState, type ProcessStateOptions } from './processState';
export {
	DEFAULT_SNAPSHOT_MAX_BYTES,
	SNAPSHOT_VERSION,
	STATE_KEY,
	SnapshotFormatError,
	buildSnapshot,
	mergeSnapshot,
	parseSnapshot,
	snapshotBudgets,
	type SnapshotBudgets,
	type Snapshot,
	type StoredSnapshot,
} from './snapshot';
export { RecordsBudgetError } from './memory/budgetedRecords';
export { DEFAULT_FLUSH_INTERVAL_MS, StaticDataStateStore, type StaticDataStoreOptions } from './staticDataStore';
export { RecordStore, type RecordEntry } from './recordStore';
export type {
	CacheHandle,
	CacheReport,
	CommitReport,
	MetricsQuery,
	MetricsReading,
	StateBackendKind,
	StateCaches,
	StateLimiters,
	StateMetrics,
	StateRecords,
	StateStore,
} from './stateStore';
export { DEFAULT_CACHE_LIMITS, WorkflowState, type PersistenceStats, type WrittenSnapshot } from './workflowState';
export { persistenceReports, type PersistenceReport } from './persistenceReport';
export { loadSavedStates, type SavedStatesCoverage, type SavedWorkflow, type SavedWorkflowPage } from './savedStates';
