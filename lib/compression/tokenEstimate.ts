import { EstimateClass } from './characterTable';

/**
 * Tokens per UTF-16 code unit of each class, fitted (least squares) to exact o200k counts of this package's README,
 * TypeScript and example workflows and of Chinese, Japanese, Korean, Russian, Hindi and Thai text; digits (grouped
 * by three, plus separators) and surrogate pairs (an emoji is about one token) set by hand. `npm run bench --
 * hostile` prints the estimate's error against the exact count on such text.
 */
export const TOKENS_PER_CHARACTER: Readonly<Record<EstimateClass, number>> = {
	[EstimateClass.LatinLetter]: 0.15,
	[EstimateClass.CjkLetter]: 0.71,
	[EstimateClass.OtherLetter]: 0.33,
	[EstimateClass.Digit]: 0.5,
	[EstimateClass.Space]: 0.41,
	[EstimateClass.AsciiPunctuation]: 0.63,
	[EstimateClass.OtherPunctuation]: 0.52,
	[EstimateClass.Surrogate]: 0.5,
};

/** A token count from character classes alone, in time linear in the text. */
export function estimateTokens(classCounts: Float64Array): number {
	let tokens = 0;
	for (let klass = 0; klass < classCounts.length; klass++) tokens += classCounts[klass] * TOKENS_PER_CHARACTER[klass as EstimateClass];
	return Math.max(1, Math.round(tokens));
}
