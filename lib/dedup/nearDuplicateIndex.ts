import { LRUCache } from 'lru-cache';
import { normalizedWords } from './normalize';
import { isInnerTypo, mayBeTypo, typoShape } from './typos';

/** A sensible `maxEntries` for one workflow's index. */
export const SUGGESTED_MAX_ENTRIES = 2000;

export interface NearDuplicateIndexOptions {
	/** Prompts kept at most; the least recently added or matched leave first. Required: see `SUGGESTED_MAX_ENTRIES`. */
	maxEntries: number;
	/**
	 * Prompts kept per bucket (same scope and same words, typo-prone words aside); the oldest of a full bucket
	 * leaves when another arrives. It bounds the candidates one lookup compares. @default 200
	 */
	maxPerBucket?: number;
	/** UTF-16 units of normalised prompt text kept in all, approximately. @default 4_000_000 (about 8 MB) */
	maxChars?: number;
	/**
	 * Prompts longer than this, in UTF-16 units as written, are neither indexed nor looked up: they are reused
	 * only on an exact match, by the caller's cache. Checked before any work on the text, so a huge prompt
	 * costs nothing here. @default 10_000
	 */
	maxPromptChars?: number;
	/**
	 * Characters of candidate text one lookup may compare; candidates beyond it are skipped. Every comparison is
	 * linear in the candidate's length, so this bounds a lookup's time. @default 2_000_000
	 */
	maxWorkPerLookup?: number;
}

export interface NearDuplicateLookupOptions {
	/**
	 * Whether a long word may differ by one edit inside it (see `typos.ts`), at most one such word per ten
	 * words. Off: only prompts whose normalised texts are equal match (score 1). @default false
	 */
	allowTypos?: boolean;
}

export interface NearDuplicateMatch {
	cacheKey: string;
	/** 1 − edits / length of the longer normalised text; 1 when the normalised texts are equal. */
	score: number;
}

interface IndexedPrompt {
	cacheKey: string;
	bucketKey: string;
	normalized: string;
}

const DEFAULT_MAX_PER_BUCKET = 200;
const DEFAULT_MAX_CHARS = 4_000_000;
const DEFAULT_MAX_PROMPT_CHARS = 10_000;
const DEFAULT_MAX_WORK_PER_LOOKUP = 2_000_000;
/** Typos tolerated: one per this many words, and at least one. */
const WORDS_PER_TYPO = 10;

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
	// NUL separates scope from words in a bucket key; one inside the scope could make two scopes collide.
	if (scopeKey.includes('\u0000')) throw new TypeError('Expected `scopeKey` to contain no NUL character');
}

/**
 * The bucket of a prompt: its scope and its normalised words, each typo-prone word replaced by its shape.
 * Prompts that could match share a bucket: equal texts, or texts differing only in typo-prone words of the
 * same shape. Every other word (numbers, operators, short words, names in capitals, negations...) is part of
 * the key as written, so a prompt differing in one of them is never even compared.
 */
function bucketKeyOf(scopeKey: string, words: readonly string[]): string {
	return `${scopeKey}\u0000${words.map((word) => (mayBeTypo(word) ? typoShape(word) : word)).join(' ')}`;
}

/**
 * Edits between two prompts of one bucket if every differing word is an inner typo and there are at most
 * `maxTypos` of them; `undefined` otherwise. Words of one bucket align one to one, so this is linear.
 */
function typoEdits(words: readonly string[], candidate: readonly string[], maxTypos: number): number | undefined {
	if (words.length !== candidate.length) return undefined;
	let typos = 0;
	for (let index = 0; index < words.length; index++) {
		if (words[index] === candidate[index]) continue;
		if (!isInnerTypo(words[index], candidate[index]) || ++typos > maxTypos) return undefined;
	}
	return typos;
}

/**
 * Recent prompts, so that a new prompt can reuse the answer of an earlier one that asks the same thing.
 *
 * Two prompts match when their normalised texts are equal (they differ only in case, whitespace, line breaks,
 * typographic quotes or trailing punctuation: see `normalize.ts`), or, only when the lookup allows typos, when
 * every word that differs is a typo of its counterpart inside a long word. No other difference is ever
 * tolerated, whatever the threshold: "formal"/"informal", "Austria"/"Australia", "!="/"=", "X to Y"/"Y to X"
 * never match. Prompts are only compared within one scope key (the caller's hash of everything but the
 * prompt text: model, parameters, system prompt...).
 *
 * Every step is linear in the prompt's length, and prompts above `maxPromptChars` are skipped before any work.
 * Memory only, bounded by entries and characters; it is not persisted and refills as prompts are answered. It
 * holds normalised prompt text and the caller's cache keys, never answers.
 */
export class NearDuplicateIndex {
	private readonly prompts: LRUCache<string, IndexedPrompt>;
	/** Per bucket key, its prompts by cache key, oldest first (a Map keeps insertion order). */
	private readonly buckets = new Map<string, Map<string, IndexedPrompt>>();
	private readonly maxPerBucket: number;
	private readonly maxPromptChars: number;
	private readonly maxWorkPerLookup: number;

	constructor(options: NearDuplicateIndexOptions) {
		const maxEntries = validatePositiveInteger('maxEntries', options.maxEntries);
		const maxChars = validatePositiveInteger('maxChars', options.maxChars ?? DEFAULT_MAX_CHARS);
		this.maxPerBucket = validatePositiveInteger('maxPerBucket', options.maxPerBucket ?? DEFAULT_MAX_PER_BUCKET);
		this.maxPromptChars = validatePositiveInteger('maxPromptChars', options.maxPromptChars ?? DEFAULT_MAX_PROMPT_CHARS);
		this.maxWorkPerLookup = validatePositiveInteger(
			'maxWorkPerLookup',
			options.maxWorkPerLookup ?? DEFAULT_MAX_WORK_PER_LOOKUP,
		);
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
	 * again replaces the earlier entry. Prompts above `maxPromptChars` are not indexed.
	 */
	add(scopeKey: string, prompt: string, cacheKey: string): void {
		validateScopeKey(scopeKey);
		validateString('prompt', prompt);
		validateString('cacheKey', cacheKey);
		this.prompts.delete(cacheKey);
		if (prompt.length > this.maxPromptChars) return;
		const words = normalizedWords(prompt);
		const bucketKey = bucketKeyOf(scopeKey, words);
		const existing = this.buckets.get(bucketKey);
		if (existing !== undefined && existing.size >= this.maxPerBucket) {
			this.prompts.delete(existing.keys().next().value as string);
		}
		const entry: IndexedPrompt = { cacheKey, bucketKey, normalized: words.join(' ') };
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
	 * The best indexed prompt with the same scope key that asks the same thing (see the class comment) and whose
	 * score reaches `threshold` (in (0, 1]), or `undefined`. Between equal scores the more recent prompt wins. A
	 * match counts as a use: it becomes the most recent entry.
	 *
	 * `isLive`, when given, is asked about each candidate's cache key before it is compared; candidates it
	 * rejects (their answer has expired or been evicted from the caller's cache) are dropped from the index.
	 */
	findSimilar(
		scopeKey: string,
		prompt: string,
		threshold: number,
		isLive?: (cacheKey: string) => boolean,
		options: NearDuplicateLookupOptions = {},
	): NearDuplicateMatch | undefined {
		validateScopeKey(scopeKey);
		validateString('prompt', prompt);
		if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) {
			throw new RangeError(`Expected \`threshold\` to be a number above 0 and at most 1, got ${threshold}`);
		}
		if (prompt.length > this.maxPromptChars) return undefined;
		const words = normalizedWords(prompt);
		const bucket = this.buckets.get(bucketKeyOf(scopeKey, words));
		if (bucket === undefined) return undefined;

		const normalized = words.join(' ');
		const maxTypos = options.allowTypos === true ? Math.max(1, Math.floor(words.length / WORDS_PER_TYPO)) : 0;
		const candidates = [...bucket.values()];
		const dead: string[] = [];
		let best: IndexedPrompt | undefined;
		let bestScore = -1;
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
			if (maxTypos === 0) continue;
			work += candidate.normalized.length;
			if (work > this.maxWorkPerLookup) break;
			const edits = typoEdits(words, candidate.normalized.split(' '), maxTypos);
			if (edits === undefined) continue;
			const score = 1 - edits / Math.max(normalized.length, candidate.normalized.length);
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
