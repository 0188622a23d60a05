export { cacheOutcomeOfFailure, fromCachedAnswer, MAX_CACHED_PROMPT_BYTES, runAiCall, type AiCallDependencies, type AiCallOutcome, type AiCallSettings, type CacheMode } from './aiCallEngine';
export { fromCacheValue, type CachedAnswer } from './cachedAnswer';
export { compressRequest } from './compressRequest';
export { InvalidJsonAnswerError, parseJsonAnswer } from './jsonAnswer';
export { CACHE_KEY_VERSION, cacheKeyFor, cacheKeyForSliced, nearDuplicateScopeFor, promptPreviewOf, promptTextOf } from './requestKeys';
