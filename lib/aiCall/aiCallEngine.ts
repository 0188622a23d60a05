import type { CacheEntry } from '../cache';
import { measureTokensYielding, type CompressionMode, type TokenCount } from '../compression';
import type { NearDuplicateIndex } from '../dedup';
import type { CacheOutcome } from '../metrics';
import { costOf, type ModelPrice } from '../pricing';
import type { ChatClient, ChatContentChunk, ChatRequest, ChatResult, ChatToolCall } from '../providers';
import { withRetries, type RetryPolicy, type TokenLimiter } from '../resilience';
import type { Clock } from '../shared/clock';
import { errorMark, markError } from '../shared/errorMark';
import { WorkSlicer } from '../shared/yieldToEventLoop';
import type { JsonValue } from '../shared/json';
import type { CacheHandle } from '../state';
import { replayAnswer, streamAnswer, type StreamProgress } from './answerStream';
import { fromCacheValue, toCacheValue, type CachedAnswer, type TokenCountSource } from './cachedAnswer';
import { compressRequest, type CompressedRequest } from './compressRequest';
import { parseJsonAnswer } from './jsonAnswer';
import { cacheKeyForSliced, nearDuplicateScopeFor, promptPreviewOf, promptTextOf } from './requestKeys';

/**
 * - `readWrite`: serve from the cache, store new answers.
 * - `readOnly`: serve from the cache, never store.
 * - `refresh`: always call the provider and overwrite the entry.
 * - `off`: no cache and no coalescing.
 */
export type CacheMode = 'off' | 'readOnly' | 'readWrite' | 'refresh';

export interface AiCallSettings {
	cacheMode: CacheMode;
	cacheTtlMs: number;
	/** Whether requests with temperature > 0 use the cache (a cached sample is then reused instead of a fresh one). */
	cacheNonZeroTemperature: boolean;
	/** Whether cache entries may be written to the persisted snapshot. */
	persist: boolean;
	/** Similarity threshold (0..1] for near-duplicate reuse; undefined = off. */
	nearDuplicateThreshold?: number;
	/** Whether near-duplicate reuse tolerates a typo inside a long word (see lib/dedup/typos.ts); off by default. */
	nearDuplicateTypos?: boolean;
	compression: CompressionMode;
	retryPolicy: RetryPolicy;
	/** The price used for cost; null when unknown. */
	price: ModelPrice | null;
	/**
	 * Whether answers that call tools (finish reason `tool_calls`) are cached and served like text answers. A
	 * replayed tool call makes the caller run the tool again, as a fresh one would. Off by default.
	 */
	cacheToolCalls?: boolean;
}

export interface AiCallDependencies {
	/**
	 * Where calls go: its endpoint scopes cache keys and near-duplicates, its `send` makes the provider call, or
	 * its `stream` when `onChunk` is set.
	 */
	client: Pick<ChatClient, 'endpoint' | 'send'> & Partial<Pick<ChatClient, 'stream'>>;
	/**
	 * Streams the answer: a provider call goes through `client.stream` and hands over each text and tool-call piece
	 * as it arrives; an answer served without one (cache, near-duplicate, coalescing) is replayed through it whole.
	 * Never given a `finish`: the outcome says how the answer ended. Once a piece is handed over, a failure is
	 * thrown, never retried.
	 */
	onChunk?: (chunk: ChatContentChunk) => void;
	cache?: CacheHandle;
	coalesce: <T>(key: string, work: () => Promise<T>) => Promise<{ value: T; shared: boolean }>;
	nearDuplicates?: NearDuplicateIndex;
	rateLimiter?: TokenLimiter;
	sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
	clock: Clock;
	/** A monotonic clock in ms for latencies, e.g. performance.now. */
	now: () => number;
	random?: () => number;
	signal?: AbortSignal;
	/**
	 * The time slices this call's long steps (compression, the cache key's hash, token counts) yield through;
	 * calls that run concurrently share one, so together they hold the event loop for one slice at most.
	 */
	slicer?: WorkSlicer;
}

export interface AiCallOutcome {
	text: string;
	json?: JsonValue;
	finishReason: string | null;
	/** The answer's tool calls, in order; empty when it calls none. */
	toolCalls: ChatToolCall[];
	/** Usage of the call that produced the answer (for a hit: the original call's). */
	usage: ChatResult['usage'];
	/** Cost of this item in USD: 0 when served without a provider call, null when the price is unknown. */
	costUsd: number | null;
	/** What serving from cache, coalescing, similarity or compression saved, in USD; null when the price is unknown. */
	savedUsd: number | null;
	cache: CacheOutcome;
	/** Why the cache was not used although it is on (e.g. a prompt above {@link MAX_CACHED_PROMPT_BYTES}). */
	cacheBypassReason?: string;
	similarTo?: { score: number; promptPreview: string };
	tokensBefore: number;
	tokensAfter: number;
	/** Where the two token counts come from (see {@link TokenCountSource}). */
	tokenCount: TokenCountSource;
	/** Provider calls this item made (0 when served from cache or coalesced). */
	attempts: number;
	latencyMs: number;
	/** Tokens this item did not send or receive thanks to cache, coalescing, similarity or compression. */
	tokensSaved: number;
	bytesRaw: number;
	bytesCompressed: number;
	raw?: unknown;
}

const UNCACHEABLE_FINISH = new Set(['length', 'content_filter', 'tool_calls']);
const PREVIEW_CHARS = 200;

const LOOKUP_MISSED = 'cacheLookupMissed';

/**
 * Prompts larger than this (UTF-8 bytes of the text sent, after compression) skip the cache and coalescing.
 * Their key is the canonical JSON of the whole request, and the cache would hold and size their answer: for a
 * 15 MB prompt that is tens of ms of serialising in single steps on n8n's main thread, for a request that is
 * almost never repeated word for word.
 */
export const MAX_CACHED_PROMPT_BYTES = 1024 * 1024;

/**
 * One AI call with cache, near-duplicate reuse, coalescing, rate limiting and retries. A call that fails after
 * its cache lookup found nothing throws an error marked as a cache miss (read it with `cacheOutcomeOfFailure`).
 */
export async function runAiCall(request: ChatRequest, settings: AiCallSettings, deps: AiCallDependencies): Promise<AiCallOutcome> {
	if (deps.onChunk && !deps.client.stream) throw new Error('The AI call was asked to stream its answer, but its chat client cannot stream');
	const lookup = { missed: false };
	try {
		return await serveAiCall(request, settings, deps, lookup);
	} catch (error) {
		throw lookup.missed ? markError(error, LOOKUP_MISSED, true) : error;
	}
}

/**
 * How a failed call used the cache: `miss` when it failed after a lookup that found nothing. The cache's own
 * counters have that lookup as a miss, so the call's metric event says so too and both figures agree.
 */
export function cacheOutcomeOfFailure(error: unknown): 'miss' | undefined {
	return errorMark(error, LOOKUP_MISSED) === true ? 'miss' : undefined;
}

async function serveAiCall(request: ChatRequest, settings: AiCallSettings, deps: AiCallDependencies, lookup: { missed: boolean }): Promise<AiCallOutcome> {
	const started = deps.now();
	const slicer = deps.slicer ?? new WorkSlicer();
	const compressed = await compressRequest(request, settings.compression, slicer);
	const finalRequest = compressed.request;
	const bytesRaw = Buffer.byteLength(compressed.textBefore);
	const bytesCompressed = Buffer.byteLength(compressed.textAfter);
	const cacheable =
		settings.cacheMode !== 'off' &&
		deps.cache !== undefined &&
		((finalRequest.temperature ?? 1) === 0 || settings.cacheNonZeroTemperature);
	const tooLarge = cacheable && bytesCompressed > MAX_CACHED_PROMPT_BYTES;

	if (!cacheable || tooLarge) {
		const call = await callProvider(finalRequest, compressed, settings, deps, slicer);
		return {
			...fromFreshAnswer(call.answer, settings, bytesRaw, bytesCompressed),
			cache: 'bypass',
			...(tooLarge ? { cacheBypassReason: `prompt of ${bytesCompressed} bytes is above the cache's limit of ${MAX_CACHED_PROMPT_BYTES} bytes` } : {}),
			attempts: call.attempts,
			latencyMs: deps.now() - started,
			raw: call.raw,
		};
	}

	const cache = deps.cache!;
	const key = await cacheKeyForSliced(finalRequest, deps.client.endpoint, slicer);
	const reads = settings.cacheMode === 'readWrite' || settings.cacheMode === 'readOnly';
	if (reads) {
		const hit = answerOf(await cache.get(key), settings);
		if (hit) return { ...servedAnswer(hit, deps, bytesRaw, bytesCompressed), cache: 'hit', latencyMs: deps.now() - started };
		lookup.missed = true;
		const similar = await findNearDuplicate(finalRequest, settings, deps, cache);
		if (similar) {
			return {
				...servedAnswer(similar.answer, deps, bytesRaw, bytesCompressed),
				cache: 'similar',
				similarTo: { score: similar.score, promptPreview: similar.answer.promptPreview },
				latencyMs: deps.now() - started,
			};
		}
	}

	const { value: call, shared } = await deps.coalesce(key, async () => {
		const fresh = await callProvider(finalRequest, compressed, settings, deps, slicer);
		if (settings.cacheMode !== 'readOnly' && isCacheable(fresh.answer, fresh.hasToolCalls, settings)) {
			await cache.set(key, toCacheValue(fresh.answer), {
				ttlMs: settings.cacheTtlMs,
				persist: settings.persist,
				worthUsd: fresh.answer.costUsd ?? undefined,
			});
			if (deps.nearDuplicates) {
				deps.nearDuplicates.add(nearDuplicateScopeFor(finalRequest, deps.client.endpoint), promptTextOf(finalRequest), key);
			}
		}
		return fresh;
	});
	if (shared) {
		return { ...servedAnswer(call.answer, deps, bytesRaw, bytesCompressed), cache: 'coalesced', latencyMs: deps.now() - started };
	}
	return {
		...fromFreshAnswer(call.answer, settings, bytesRaw, bytesCompressed),
		cache: 'miss',
		attempts: call.attempts,
		latencyMs: deps.now() - started,
		raw: call.raw,
	};
}

interface ProviderCall {
	answer: CachedAnswer;
	attempts: number;
	hasToolCalls: boolean;
	raw: unknown;
}

async function callProvider(
	request: ChatRequest,
	compressed: CompressedRequest,
	settings: AiCallSettings,
	deps: AiCallDependencies,
	slicer: WorkSlicer,
): Promise<ProviderCall> {
	// Token counts come from the tokenizer only when they are needed before the answer (compression savings, a
	// tokens-per-minute limit); otherwise the provider's own prompt count is the truth. Counting yields between
	// chunks, and a prompt too long to count exactly in linear time is estimated.
	const compressing = settings.compression !== 'off';
	const after = compressing || deps.rateLimiter ? await measureTokensYielding(compressed.textAfter, slicer) : undefined;
	const before = !compressing ? undefined : compressed.textBefore === compressed.textAfter ? after : await measureTokensYielding(compressed.textBefore, slicer);
	let tokensAfter = after?.tokens;
	const tokensBefore = before?.tokens;
	if (deps.rateLimiter) await deps.rateLimiter.acquire((tokensAfter ?? 0) + (request.maxTokens ?? 0), deps.signal);
	const progress: StreamProgress = { forwarded: false };
	const { value: result, attempts } = await withRetries((_attempt) => answerFromProvider(request, deps, progress), {
		policy: settings.retryPolicy,
		classify: (error) => {
			const providerError = error as { retryable?: boolean; retryAfterMs?: number };
			// The consumer of a stream already holds part of this answer: a second attempt would hand it another.
			return { retry: !progress.forwarded && providerError.retryable === true, retryAfterMs: providerError.retryAfterMs };
		},
		sleep: deps.sleep,
		random: deps.random,
		signal: deps.signal,
	});
	const providerCount = after === undefined ? await providerTokenCount(result.usage.input, compressed.textAfter, slicer) : undefined;
	tokensAfter ??= providerCount!.tokens;
	const answer: CachedAnswer = {
		text: result.text,
		finishReason: result.finishReason,
		...(result.toolCalls.length > 0 ? { toolCalls: result.toolCalls } : {}),
		usage: result.usage,
		costUsd: settings.price ? costOf(result.usage, settings.price) : null,
		tokensBefore: tokensBefore ?? tokensAfter,
		tokensAfter,
		tokenCount: tokenCountSource(providerCount?.source, before, after),
		promptPreview: promptPreviewOf(request, PREVIEW_CHARS),
	};
	if (request.responseFormat === 'json') answer.json = parseJsonAnswer(result.text, result.finishReason);
	return { answer, attempts, hasToolCalls: result.hasToolCalls, raw: result.raw };
}

/** One provider call: streamed through `onChunk` when the caller streams, sent whole otherwise. */
function answerFromProvider(request: ChatRequest, deps: AiCallDependencies, progress: StreamProgress): Promise<ChatResult> {
	if (!deps.onChunk) return deps.client.send(request, deps.signal);
	return streamAnswer(deps.client as Pick<ChatClient, 'stream'>, request, deps.signal, deps.onChunk, progress);
}

/** The provider's prompt count, or ours when it reports none. */
async function providerTokenCount(input: number, text: string, slicer: WorkSlicer): Promise<{ tokens: number; source: TokenCountSource }> {
	if (input > 0) return { tokens: input, source: 'provider' };
	const counted = await measureTokensYielding(text, slicer);
	return { tokens: counted.tokens, source: counted.estimated ? 'estimated' : 'exact' };
}

function tokenCountSource(providerSource: TokenCountSource | undefined, ...counts: Array<TokenCount | undefined>): TokenCountSource {
	if (providerSource) return providerSource;
	return counts.some((count) => count?.estimated) ? 'estimated' : 'exact';
}

function isCacheable(answer: CachedAnswer, hasToolCalls: boolean, settings: AiCallSettings): boolean {
	if (hasToolCalls || answer.finishReason === 'tool_calls') {
		return settings.cacheToolCalls === true && hasToolCalls && answer.finishReason === 'tool_calls';
	}
	return !UNCACHEABLE_FINISH.has(answer.finishReason ?? '');
}

/** A stored answer that may be served; one that calls tools only while tool-call answers are cached (one switch). */
function answerOf(entry: CacheEntry | undefined, settings: AiCallSettings): CachedAnswer | undefined {
	const answer = entry === undefined ? undefined : fromCacheValue(entry.value);
	if (answer?.toolCalls !== undefined && settings.cacheToolCalls !== true) return undefined;
	return answer;
}

async function findNearDuplicate(
	request: ChatRequest,
	settings: AiCallSettings,
	deps: AiCallDependencies,
	cache: CacheHandle,
): Promise<{ answer: CachedAnswer; score: number } | undefined> {
	if (settings.nearDuplicateThreshold === undefined || !deps.nearDuplicates) return undefined;
	const match = deps.nearDuplicates.findSimilar(
		nearDuplicateScopeFor(request, deps.client.endpoint),
		promptTextOf(request),
		settings.nearDuplicateThreshold,
		undefined,
		{ allowTypos: settings.nearDuplicateTypos === true },
	);
	if (!match) return undefined;
	const answer = answerOf(await cache.get(match.cacheKey), settings);
	return answer ? { answer, score: match.score } : undefined;
}

export type AnswerFields = Omit<AiCallOutcome, 'cache' | 'latencyMs' | 'similarTo' | 'raw'>;

/** A provider call made for this item: it paid the cost; compression may have saved tokens. */
function fromFreshAnswer(answer: CachedAnswer, settings: AiCallSettings, bytesRaw: number, bytesCompressed: number): AnswerFields {
	const compressionSaved = Math.max(0, answer.tokensBefore - answer.tokensAfter);
	const savedUsd = settings.price ? (compressionSaved * settings.price.input) / 1_000_000 : null;
	return {
		text: answer.text,
		json: answer.json,
		finishReason: answer.finishReason,
		toolCalls: answer.toolCalls ?? [],
		usage: answer.usage,
		costUsd: answer.costUsd,
		savedUsd,
		tokensBefore: answer.tokensBefore,
		tokensAfter: answer.tokensAfter,
		tokenCount: answer.tokenCount ?? 'exact',
		attempts: 0,
		tokensSaved: compressionSaved,
		bytesRaw,
		bytesCompressed,
	};
}

/** An answer served without a provider call of its own, replayed to a streaming caller. */
function servedAnswer(answer: CachedAnswer, deps: AiCallDependencies, bytesRaw: number, bytesCompressed: number): AnswerFields {
	if (deps.onChunk) replayAnswer(answer, deps.onChunk);
	return fromCachedAnswer(answer, bytesRaw, bytesCompressed);
}

/** Served without a provider call of its own: it saved what the original call cost. Batch delivery serves hits alike. */
export function fromCachedAnswer(answer: CachedAnswer, bytesRaw: number, bytesCompressed: number): AnswerFields {
	return {
		text: answer.text,
		json: answer.json,
		finishReason: answer.finishReason,
		toolCalls: answer.toolCalls ?? [],
		usage: answer.usage,
		costUsd: 0,
		savedUsd: answer.costUsd,
		tokensBefore: answer.tokensBefore,
		tokensAfter: answer.tokensAfter,
		tokenCount: answer.tokenCount ?? 'exact',
		attempts: 0,
		tokensSaved: answer.usage.input + answer.usage.output,
		bytesRaw,
		bytesCompressed,
	};
}
