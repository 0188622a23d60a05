import { messageText, type ChatMessage, type ChatRequest, type ProviderEndpoint } from '../providers';
import { canonicalJson, sha256Hex, sha256HexSliced } from '../shared/canonicalJson';
import type { WorkSlicer } from '../shared/yieldToEventLoop';

/**
 * Version of the cache-key schema. Bump it whenever a field is added to or removed from the key in a way that
 * changes existing keys, so entries written under the old schema are never served for requests they may not
 * match. A field that is absent from every earlier request (and left out of the JSON when absent, as `tools` is)
 * does not change earlier keys and needs no bump.
 */
export const CACHE_KEY_VERSION = 1;

/** Every field besides the conversation that can change the answer, as both keys below use them. */
function answerSettings(request: ChatRequest, endpoint: ProviderEndpoint) {
	return {
		v: CACHE_KEY_VERSION,
		credential: endpoint.fingerprint,
		provider: endpoint.provider,
		baseUrl: endpoint.baseUrl,
		model: request.model,
		system: request.system ?? null,
		temperature: request.temperature ?? null,
		topP: request.topP ?? null,
		maxTokens: request.maxTokens ?? null,
		stop: request.stop ?? null,
		seed: request.seed ?? null,
		responseFormat: request.responseFormat,
		extraBody: request.extraBody ?? null,
		// Left out when absent, so keys of requests without tools stay what they were.
		...toolSettings(request),
	};
}

/** The tool definitions and tool choice, only when the request offers tools: the adapters send neither otherwise. */
function toolSettings(request: ChatRequest): { tools?: ChatRequest['tools']; toolChoice?: ChatRequest['toolChoice'] } {
	if (request.tools === undefined || request.tools.length === 0) return {};
	return { tools: request.tools, toolChoice: request.toolChoice ?? 'auto' };
}

/**
 * The exact-match cache key of a whole conversation: SHA-256 of canonical JSON of every field that can change the
 * answer (every message with its tool calls and tool results, the tool definitions and tool choice, the
 * parameters), the key schema version, and the endpoint's fingerprint (so two accounts never share entries). The
 * fingerprint is itself a hash; the API key never enters the key.
 */
export function cacheKeyFor(request: ChatRequest, endpoint: ProviderEndpoint): string {
	return sha256Hex(cacheKeyText(request, endpoint));
}

/** {@link cacheKeyFor}, hashing in time slices: the key of a 15 MB prompt is 15 MB of JSON to hash. */
export async function cacheKeyForSliced(request: ChatRequest, endpoint: ProviderEndpoint, slicer: WorkSlicer): Promise<string> {
	return await sha256HexSliced(cacheKeyText(request, endpoint), slicer);
}

function cacheKeyText(request: ChatRequest, endpoint: ProviderEndpoint): string {
	return canonicalJson({
		...answerSettings(request, endpoint),
		messages: request.messages,
		// Only Anthropic honours the flag, so only there may it split entries.
		cacheSystemPrompt: endpoint.provider === 'anthropic' && request.cacheSystemPrompt === true,
	});
}

/** The text that near-duplicate detection compares: the conversation's message texts (the system prompt is part of the scope). */
export function promptTextOf(request: ChatRequest): string {
	return request.messages.map((message) => `${message.role}: ${messageText(message)}`).join('\n');
}

/**
 * The first `maxChars` of {@link promptTextOf}, without joining the whole conversation (a prompt can be megabytes).
 */
export function promptPreviewOf(request: ChatRequest, maxChars: number): string {
	let preview = '';
	for (const message of request.messages) {
		if (preview.length >= maxChars) break;
		preview += `${preview === '' ? '' : '\n'}${message.role}: ${messageText(message).slice(0, maxChars)}`;
	}
	return preview.slice(0, maxChars);
}

/**
 * A message without its text: role, other fields (name, tool calls, tool call id) and non-text parts such as
 * images. Two prompts whose texts match but whose images differ must never share an answer.
 */
function messageShape(message: ChatMessage): unknown {
	const { content, ...fields } = message;
	const parts = Array.isArray(content) ? content.filter((part) => !(part && part.type === 'text' && typeof part.text === 'string')) : [];
	return { ...fields, parts };
}

/**
 * Everything except the conversation text: near-duplicates are only looked for among requests that agree on all
 * of it (model, parameters, system prompt, message roles and non-text parts, credential).
 */
export function nearDuplicateScopeFor(request: ChatRequest, endpoint: ProviderEndpoint): string {
	return sha256Hex(
		canonicalJson({ ...answerSettings(request, endpoint), messages: request.messages.map(messageShape) }),
	);
}
