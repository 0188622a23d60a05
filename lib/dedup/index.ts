export { normalizeForSimilarity } from './normalize';
export { guardSignature } from './guards';
export { POLARITY_WORDS, NUMBER_WORDS } from './lexicon';
export { couldReach, normalizedSimilarity, similarity } from './similarity';
export {
	NearDuplicateIndex,
	SUGGESTED_MAX_ENTRIES,
	type NearDuplicateIndexOptions,
	type NearDuplicateMatch,
} from './nearDuplicateIndex';
