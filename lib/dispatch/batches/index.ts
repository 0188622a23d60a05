export {
	adaptiveBatchSize,
	BatchCostHistory,
	RETRY_OTHER_SHAPE_EVERY,
	type AdaptiveSizeOptions,
	type BatchShape,
	type CostProfile,
	type DispatchCost,
} from './adaptiveBatching';
export {
	DEFAULT_MAX_BYTES,
	DEFAULT_MAX_ITEMS,
	planBatches,
	WEBHOOK_HARD_LIMIT_BYTES,
	type BatchPlan,
	type BatchPlanOptions,
	type OversizedItem,
	type PlannedBatch,
} from './planBatches';
export {
	BATCH_ENVELOPE_BYTES,
	BATCH_ID_LENGTH,
	batchIdFor,
	buildBatchPayload,
	correlationFieldBytes,
	CorrelationFieldCollisionError,
	DEFAULT_CORRELATION_FIELD,
	validateCorrelationField,
	type BatchPayload,
	type BatchPayloadOptions,
} from './batchPayload';
export {
	mapBatchResults,
	ResultMappingError,
	type BatchResults,
	type MapResultsOptions,
	type ResultMappingRule,
	type ResultObject,
} from './mapResults';
export {
	lookupBatchResults,
	RESULT_CACHE_VERSION,
	resultCacheKey,
	storeBatchResults,
	type ResultCacheStore,
	type ResultCacheTarget,
	type StoreResultsOptions,
} from './resultCache';
