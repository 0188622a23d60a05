import { messageText, type ChatRequest } from '../providers';
import { canonicalJson, sha256Hex } from '../shared/canonicalJson';

/**
 * Version of the cache-key schema. Bump it whenever a field is added to or removed from the key, so entries
 * written under the old schema are never served for requests they may not match.
 */
export const CACHE_KEY_VERSION = 1;

/**
 * The exact-match cache key: SHA-256 of canonical JSON of every field that can change the answer, the key
 * schema version, and a fingerprint of the credential (so two accounts never share entries). The credential
 * fingerprint is itself a hash; the API key never enters the key.
 */
export function cacheKeyFor(request: ChatRequest, credentialFingerprint: string): string {
	return sha256Hex(
		canonicalJson({
			v: CACHE_KEY_VERSION,
			credential: credentialFingerprint,
			provider: request.provider,
			baseUrl: request.baseUrl.replace(/\/+$/, ''),
			model: request.model,
			system: request.system ?? null,
			messages: request.messages,
			temperature: request.temperature ?? null,
			topP: request.topP ?? null,
			maxTokens: request.maxTokens ?? null,
			stop: request.stop ?? null,
			seed: request.seed ?? null,
			responseFormat: request.responseFormat,
			extraBody: request.extraBody ?? null,
			cacheSystemPrompt: request.cacheSystemPrompt === true,
		}),
	);
}

/** The text that near-duplicate detection compares: the conversation's message texts (the system prompt is part of the scope). */
export function promptTextOf(request: ChatRequest): string {
	return request.messages.map((message) => `${message.role}: ${messageText(message)}`).join('\n');
}

/**
 * Everything except the conversation text: near-duplicates are only looked for among requests that agree on all
 * of it (model, parameters, system prompt, message roles, credential).
 */
export function nearDuplicateScopeFor(request: ChatRequest, credentialFingerprint: string): string {
	return sha256Hex(
		canonicalJson({
			v: CACHE_KEY_VERSION,
			credential: credentialFingerprint,
			provider: request.provider,
			baseUrl: request.baseUrl.replace(/\/+$/, ''),
			model: request.model,
			system: request.system ?? null,
			roles: request.messages.map((message) => message.role),
			temperature: request.temperature ?? null,
			topP: request.topP ?? null,
			maxTokens: request.maxTokens ?? null,
			stop: request.stop ?? null,
			seed: request.seed ?? null,
			responseFormat: request.responseFormat,
			extraBody: request.extraBody ?? null,
		}),
	);
}

/** A one-way fingerprint of a credential's identity: provider, endpoint, key and organization. */
export function credentialFingerprint(parts: { provider: string; baseUrl: string; apiKey: string; organization?: string }): string {
	return sha256Hex(`perf-optimizer-credential|${parts.provider}|${parts.baseUrl.replace(/\/+$/, '')}|${parts.apiKey}|${parts.organization ?? ''}`).slice(0, 32);
}
