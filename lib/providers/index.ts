export { ANTHROPIC_DEFAULT_MAX_TOKENS } from './anthropic';
export { createChatClient, type ChatClient, type ChatClientOptions } from './chatClient';
export {
	ANTHROPIC_VERSION,
	CredentialError,
	DEFAULT_BASE_URLS,
	resolveEndpoint,
	type ProviderCredentialData,
	type ProviderEndpoint,
} from './endpoint';
export { messageText } from './messageText';
export { ProviderError, type ProviderErrorDetails } from './providerError';
export { sseEvents, type SseEvent } from './sseEvents';
export { foldChatStream, StreamedAnswer } from './streamedAnswer';
export { toolCallOf } from './toolCall';
export { buildHttpRequest, sendChat, streamChat, type FetchLike, type SendOptions } from './transport';
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
