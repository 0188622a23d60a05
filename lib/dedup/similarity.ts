import { distance } from 'fastest-levenshtein';
import { normalizeForSimilarity } from './normalize';

/*
 * Similarity is 1 − d / L, where d is the Levenshtein distance and L the length of the longer text, both in
 * UTF-16 code units (what fastest-levenshtein counts). Bounds below rest on lower bounds of d; they go through
 * the same `scoreFor` so that, IEEE rounding being monotonic, a bound is never below the score it bounds.
 */

/** The score of a distance between texts whose longer one has `maxLength` units; two empty texts score 1. */
export function scoreFor(editDistance: number, maxLength: number): number {
	return maxLength === 0 ? 1 : 1 - editDistance / maxLength;
}

/** Similarity in [0, 1] of two prompts after `normalizeForSimilarity`. */
export function similarity(a: string, b: string): number {
	return normalizedSimilarity(normalizeForSimilarity(a), normalizeForSimilarity(b));
}

/** Similarity in [0, 1] of two already normalised texts. */
export function normalizedSimilarity(a: string, b: string): number {
	if (a === b) return 1;
	return scoreFor(distance(a, b), Math.max(a.length, b.length));
}

/**
 * Whether two normalised texts of these lengths can reach `threshold` at all: a cheap test before Levenshtein.
 *
 * Turning the shorter text into the longer one takes at least one insertion per missing unit, so
 * d ≥ L − l and the score is at most 1 − (L − l) / L = l / L. When l / L < threshold no pair of texts with
 * these lengths can reach it.
 */
export function couldReach(a: string, b: string, threshold: number): boolean {
	const maxLength = Math.max(a.length, b.length);
	return scoreFor(maxLength - Math.min(a.length, b.length), maxLength) >= threshold;
}
