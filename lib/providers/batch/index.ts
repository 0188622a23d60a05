export { BatchRequestError } from './batchRequestError';
export { createBatchClient, providerBatchLimits, type BatchClientOptions } from './batchClient';
export { ANTHROPIC_BATCH_LIMITS } from './anthropicBatch';
export { OPENAI_BATCH_LIMITS } from './openAiBatch';
export type { BatchClient, BatchLimits, BatchLine, BatchLineResult, BatchPhase, BatchStatus } from './types';
