export { normalizeForSimilarity, normalizedWords } from './normalize';
export { POLARITY_WORDS, NUMBER_WORDS } from './lexicon';
export { isInnerTypo, mayBeTypo, MIN_TYPO_WORD_LENGTH } from './typos';
export {
	NearDuplicateIndex,
	SUGGESTED_MAX_ENTRIES,
	type NearDuplicateIndexOptions,
	type NearDuplicateLookupOptions,
	type NearDuplicateMatch,
} from './nearDuplicateIndex';
