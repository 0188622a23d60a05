export { ANTHROPIC_DEFAULT_MAX_TOKENS } from './anthropic';
export * from './batch';
export { createChatClient, type ChatClient, type ChatClientOptions } from './chatClient';
export {
	ANTHROPIC_VERSION,
	CredentialError,
	DEFAULT_BASE_URLS,
	endpointUrl,
	resolveEndpoint,
	type ProviderCredentialData,
	type ProviderEndpoint,
	type ProviderRoute,
} from './endpoint';
export { listModels, MAX_LISTED_MODELS, type ListModelsOptions, type ProviderModel } from './listModels';
export { messageText } from './messageText';
export { ProviderError, type ProviderErrorDetails } from './providerError';
export { sseEvents, type SseEvent } from './sseEvents';
export { foldChatStream, StreamedAnswer } from './streamedAnswer';
export { toolCallOf } from './toolCall';
export { buildHttpRequest, requestProvider, sendChat, streamChat, type FetchLike, type ProviderRequestInit, type SendOptions } from './transport';
export type {
	ChatChunk,
	ChatContentChunk,
	ChatMessage,
	ChatRequest,
	ChatResult,
	ChatTool,
	ChatToolCall,
	ChatToolChoice,
	ChatUsage,
	HttpRequest,
	ProviderKind,
} from './types';
