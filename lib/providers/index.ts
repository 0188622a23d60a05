export { ANTHROPIC_DEFAULT_MAX_TOKENS, ANTHROPIC_VERSION } from './anthropic';
export { joinUrl, type ProviderAuth } from './auth';
export { messageText } from './messageText';
export { ProviderError, type ProviderErrorDetails } from './providerError';
export { buildHttpRequest, sendChat, type FetchLike, type SendOptions } from './transport';
export type { ChatMessage, ChatRequest, ChatResult, ChatUsage, HttpRequest, ProviderKind } from './types';
