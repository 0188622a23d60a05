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
export { buildHttpRequest, sendChat, type FetchLike, type SendOptions } from './transport';
export type { ChatMessage, ChatRequest, ChatResult, ChatUsage, HttpRequest, ProviderKind } from './types';
