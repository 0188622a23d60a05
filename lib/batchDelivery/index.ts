export { BatchStoppedError, type StopReason } from './batchStopped';
export { deliverInBatches } from './deliverBatch';
export type { BatchDeliveryDependencies, BatchDeliveryResult, BatchDeliverySettings, BatchItem, BatchReport, ItemDelivery } from './types';
