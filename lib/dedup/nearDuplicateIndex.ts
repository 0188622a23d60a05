import { distance } from 'fastest-levenshtein';
import { LRUCache } from 'lru-cache';
import { countCharacters, editDistanceLowerBound, type CharacterCounts } from './characterCounts';
import { signatureOf } from './guards';
import { normalizeForSimilarity } from './normalize';
import { scoreFor } from './similarity';

/** A sensible `maxEntries` for one workflow's index. */
export const SUGGESTED_MAX_ENTRIES = 2000;

export interface NearDuplicateIndexOptions {
	/** Prompts kept at most; the least recently added or matched leave first. Required: see `SUGGESTED_MAX_ENTRIES`. */
	maxEntries: number;
	/**
	 * Prompts kept per bucket (same scope and guard signature); the oldest of a full bucket leaves when another
	 * arrives. It bounds the candidates one lookup compares. @default 200
	 */
	maxPerBucket?: number;
	/** UTF-16 units of normalised prompt text kept in all, approximately. @default 4_000_000 (about 8 MB) */
	maxChars?: number;
	/**
	 * Levenshtein work one lookup may do, in character pairs (length × length summed over the candidates it
	 * compares); candidates beyond it are skipped. Levenshtein of two 8,000-character texts takes about 18 ms,
	 * so without this a full bucket of long prompts would take seconds. Prompts longer than its square root
	 * are neither indexed nor looked up. @default 100_000_000 (prompts up to 10,000 characters; about 40 ms
	 * in the worst case we measured, 100 candidates of 1,000 characters that no prefilter rules out; lookups
	 * whose candidates the prefilters rule out take well under 1 ms)
	 */
	maxWorkPerLookup?: number;
}

export interface NearDuplicateMatch {
	cacheKey: string;
	/** Similarity in [threshold, 1]; 1 when the normalised texts are equal. */
	score: number;
}

interface IndexedPrompt {
	cacheKey: string;
	bucketKey: string;
	normalized: string;
	counts: CharacterCounts;
}

const DEFAULT_MAX_PER_BUCKET = 200;
const DEFAULT_MAX_CHARS = 4_000_000;
const DEFAULT_MAX_WORK_PER_LOOKUP = 100_000_000;

function validatePositiveInteger(name: string, value: number): number {
	if (!Number.isSafeInteger(value) || value < 1) {
		throw new TypeError(`Expected \`${name}\` to be an integer from 1 and up, got ${value}`);
	}
	return value;
}

function validateString(name: string, value: string): void {
	if (typeof value !== 'string') throw new TypeError(`Expected \`${name}\` to be a string, got ${typeof value}`);
}

function validateScopeKey(scopeKey: string): void {
	validateString('scopeKey', scopeKey);
	// NUL separates scope from signature in a bucket key; one inside the scope could make two scopes collide.
	if (scopeKey.includes('\u0000')) throw new TypeError('Expected `scopeKey` to contain no NUL character');
}

/**
 * Recent prompts, so that a new prompt can reuse the answer of an earlier, nearly identical one.
 *
 * Two prompts are only ever compared when they share a scope key (the caller's hash of everything but the
 * prompt text: model, parameters, system prompt...) and a guard signature (every number, operator and polarity
 * word in order, see `guardSignature`). Those guards cannot be switched off: "turn on dark mode" and "turn off
 * dark mode" never merge, however high the threshold is set.
 *
 * Memory only, bounded by entries and characters; it is not persisted and refills as prompts are answered. It
 * holds normalised prompt text and the caller's cache keys, never answers.
 */
export class NearDuplicateIndex {
	private readonly prompts: LRUCache<string, IndexedPrompt>;
	/** Per bucket key, its prompts by cache key, oldest first (a Map keeps insertion order). */
	private readonly buckets = new Map<string, Map<string, IndexedPrompt>>();
	private readonly maxPerBucket: number;
	private readonly maxWorkPerLookup: number;
	private readonly maxPromptLength: number;

	constructor(options: NearDuplicateIndexOptions) {
		const maxEntries = validatePositiveInteger('maxEntries', options.maxEntries);
		const maxChars = validatePositiveInteger('maxChars', options.maxChars ?? DEFAULT_MAX_CHARS);
		this.maxPerBucket = validatePositiveInteger('maxPerBucket', options.maxPerBucket ?? DEFAULT_MAX_PER_BUCKET);
		this.maxWorkPerLookup = validatePositiveInteger(
			'maxWorkPerLookup',
			options.maxWorkPerLookup ?? DEFAULT_MAX_WORK_PER_LOOKUP,
		);
		// A prompt that could not be compared even once within the budget, or is larger than the whole index, is
		// left out; every pair of indexed prompts therefore fits the budget on its own.
		this.maxPromptLength = Math.min(Math.floor(Math.sqrt(this.maxWorkPerLookup)), maxChars - 1);
		this.prompts = new LRUCache<string, IndexedPrompt>({
			max: maxEntries,
			maxSize: maxChars,
			// +1: an empty prompt still takes an entry, and lru-cache wants sizes from 1.
			sizeCalculation: (prompt) => prompt.normalized.length + 1,
			dispose: (prompt) => this.detach(prompt),
		});
	}

	get size(): number {
		return this.prompts.size;
	}

	/**
	 * Indexes a prompt whose answer the caller stored under `cacheKey`. A cache key names one prompt: adding it
	 * again replaces the earlier entry. Prompts longer than the lookup budget allows are not indexed.
	 */
	add(scopeKey: string, prompt: string, cacheKey: string): void {
		validateScopeKey(scopeKey);
		validateString('prompt', prompt);
		validateString('cacheKey', cacheKey);
		this.prompts.delete(cacheKey);
		const normalized = normalizeForSimilarity(prompt);
		if (normalized.length > this.maxPromptLength) return;
		const bucketKey = `${scopeKey}\u0000${signatureOf(prompt, normalized)}`;
		const existing = this.buckets.get(bucketKey);
		if (existing !== undefined && existing.size >= this.maxPerBucket) {
			this.prompts.delete(existing.keys().next().value as string);
		}
		const entry: IndexedPrompt = { cacheKey, bucketKey, normalized, counts: countCharacters(normalized) };
		this.prompts.set(cacheKey, entry);
		// Fetched after `set`: making room may have evicted the last prompt of this very bucket.
		let bucket = this.buckets.get(bucketKey);
		if (bucket === undefined) {
			bucket = new Map();
			this.buckets.set(bucketKey, bucket);
		}
		bucket.set(cacheKey, entry);
	}

	/**
	 * The most similar indexed prompt with the same scope key and guard signature whose score reaches
	 * `threshold` (in (0, 1]), or `undefined`. Between equal scores the more recent prompt wins. A match counts
	 * as a use: it becomes the most recent entry.
	 *
	 * `isLive`, when given, is asked about each candidate's cache key before it is compared; candidates it
	 * rejects (their answer has expired or been evicted from the caller's cache) are dropped from the index.
	 */
	findSimilar(
		scopeKey: string,
		prompt: string,
		threshold: number,
		isLive?: (cacheKey: string) => boolean,
	): NearDuplicateMatch | undefined {
		validateScopeKey(scopeKey);
		validateString('prompt', prompt);
		if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) {
			throw new RangeError(`Expected \`threshold\` to be a number above 0 and at most 1, got ${threshold}`);
		}
		const normalized = normalizeForSimilarity(prompt);
		if (normalized.length > this.maxPromptLength) return undefined;
		const bucket = this.buckets.get(`${scopeKey}\u0000${signatureOf(prompt, normalized)}`);
		if (bucket === undefined) return undefined;

		const candidates = [...bucket.values()];
		const dead: string[] = [];
		let best: IndexedPrompt | undefined;
		let bestScore = -1;
		let counts: CharacterCounts | undefined;
		let work = 0;
		for (let index = candidates.length - 1; index >= 0; index--) {
			const candidate = candidates[index];
			if (isLive !== undefined && !isLive(candidate.cacheKey)) {
				dead.push(candidate.cacheKey);
				continue;
			}
			if (candidate.normalized === normalized) {
				best = candidate;
				bestScore = 1;
				break;
			}
			const maxLength = Math.max(normalized.length, candidate.normalized.length);
			// Upper bounds of the score first (see `couldReach` and `editDistanceLowerBound`), cheapest first.
			const lengthBound = scoreFor(Math.abs(normalized.length - candidate.normalized.length), maxLength);
			if (lengthBound < threshold || lengthBound <= bestScore) continue;
			counts ??= countCharacters(normalized);
			const countBound = scoreFor(editDistanceLowerBound(counts, candidate.counts), maxLength);
			if (countBound < threshold || countBound <= bestScore) continue;
			const cost = normalized.length * candidate.normalized.length;
			if (work + cost > this.maxWorkPerLookup) continue;
			work += cost;
			const score = scoreFor(distance(normalized, candidate.normalized), maxLength);
			if (score >= threshold && score > bestScore) {
				best = candidate;
				bestScore = score;
			}
		}
		for (const cacheKey of dead) this.prompts.delete(cacheKey);
		if (best === undefined) return undefined;
		this.touch(best);
		return { cacheKey: best.cacheKey, score: bestScore };
	}

	/** Drops the prompt indexed under a cache key, e.g. when its answer was deleted. Returns whether there was one. */
	delete(cacheKey: string): boolean {
		return this.prompts.delete(cacheKey);
	}

	clear(): void {
		this.prompts.clear();
		this.buckets.clear();
	}

	private touch(prompt: IndexedPrompt): void {
		this.prompts.get(prompt.cacheKey);
		const bucket = this.buckets.get(prompt.bucketKey);
		if (bucket === undefined) return;
		bucket.delete(prompt.cacheKey);
		bucket.set(prompt.cacheKey, prompt);
	}

	/** Keeps buckets in step with the LRU: called for every prompt that leaves it, whatever the reason. */
	private detach(prompt: IndexedPrompt): void {
		const bucket = this.buckets.get(prompt.bucketKey);
		if (bucket === undefined || bucket.get(prompt.cacheKey) !== prompt) return;
		bucket.delete(prompt.cacheKey);
		if (bucket.size === 0) this.buckets.delete(prompt.bucketKey);
	}
}
