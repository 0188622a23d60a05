import { NUMBER_WORDS, POLARITY_WORDS } from './lexicon';
import { normalizeForSimilarity } from './normalize';

/*
 * One pass finds, in text order:
 * - numbers: digit runs in any script, inner "." and "," kept as written ("1,000" and "1000" differ, "3.5" and
 *   "3.50" differ: a missed merge is cheap, a wrong answer is not), with a "+" or "-" sign when it stands before
 *   the digits at the start of a word ("-5" but not the range in "10-15"); digits inside words count too
 *   ("gpt4", "v2");
 * - words of letters, with inner apostrophes ("don't");
 * - operator, comparison and currency symbols, which flip a meaning in one character ("<" and ">", "$" and "€").
 */
const NUMBER = String.raw`(?<number>(?:(?<![\p{L}\p{M}\p{N}])[+-])?\p{Nd}+(?:[.,]\p{Nd}+)*)`;
const WORD = String.raw`(?<word>[\p{L}\p{M}]+(?:'[\p{L}\p{M}]+)*)`;
const SYMBOL = String.raw`(?<symbol>[-+*/<>=%^&|~±×÷≤≥≠≈‰\p{Sc}])`;
const GUARD_TOKENS = new RegExp(`${NUMBER}|${WORD}|${SYMBOL}`, 'gu');

// Any "n't" contraction negates, listed or not ("mightn't", "oughtn't"); "'nt" is the common misspelling.
const CONTRACTED_NEGATION = /n't$|'nt$/;

/**
 * What must be identical for two prompts to merge, as one string: every number, number word ("fifteen"),
 * operator or currency symbol, and polarity word (negations and words with an opposite, see `lexicon.ts`), in
 * text order, separated by spaces. `""` when the text has none of them.
 *
 * The sequence is ordered, which is stricter than comparing numbers in order and polarity words as a multiset:
 * "enable A and disable B" and "disable A and enable B" hold the same words but must not merge either.
 * Polarity words are compared without apostrophes, so "don't", "don’t" and "dont" are the same word.
 */
export function guardSignature(text: string): string {
	return signatureOfNormalized(normalizeForSimilarity(text));
}

/** {@link guardSignature} of text that already went through `normalizeForSimilarity`. */
export function signatureOfNormalized(normalized: string): string {
	const tokens: string[] = [];
	for (const match of normalized.matchAll(GUARD_TOKENS)) {
		const { number, word, symbol } = match.groups as Record<'number' | 'word' | 'symbol', string | undefined>;
		if (number !== undefined) tokens.push(number);
		else if (symbol !== undefined) tokens.push(symbol);
		else if (word !== undefined) {
			const bare = word.replace(/'/g, '');
			if (NUMBER_WORDS.has(bare) || POLARITY_WORDS.has(bare) || CONTRACTED_NEGATION.test(word)) tokens.push(bare);
		}
	}
	return tokens.join(' ');
}
