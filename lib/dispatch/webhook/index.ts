export { encodeBatchBody, type BatchBodyOptions, type EncodedBatchBody } from './batchBody';
export {
	dispatchBatch,
	type DispatchAttemptReport,
	type DispatchBatchOptions,
	type DispatchBatchResult,
	type WebhookBatch,
} from './dispatchBatch';
export {
	EndpointHealth,
	type ActiveHealthCheck,
	type EndpointHealthOptions,
	type EndpointHealthReport,
	type EndpointPass,
	type EndpointState,
	type FailureNote,
} from './endpointHealth';
export {
	EndpointPools,
	type EndpointPoolOptions,
	type EndpointResponse,
	type OriginPoolStats,
	type RequestOptions,
} from './endpointPool';
export {
	AllEndpointsDownError,
	EndpointRequestError,
	WebhookResponseError,
	webhookFailureOf,
	type WebhookFailure,
} from './errors';
export { healthzCheck, type HealthzCheckOptions } from './healthzCheck';
export { BALANCING_STRATEGIES, LoadBalancer, type BalancingStrategy } from './loadBalancer';
export { expectDistinctEndpoints, parseWebhookEndpoints, stripUserInfo, WebhookEndpoint } from './webhookEndpoint';
