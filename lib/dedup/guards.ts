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
	return signatureOf(text, normalizeForSimilarity(text));
}

/**
 * Codes written in capitals ("USD", "EUR", "SKU", "NYC"), in text order. Lower-casing for similarity would
 * otherwise let "convert 15 USD to EUR" merge with "convert 15 EUR to USD" or "15 GBP": a few letters in a long
 * prompt, a different answer. Text without any lower-case letter is shouting, not codes: it contributes none.
 */
const CAPITAL_CODE = /(?<![\p{L}\p{N}])\p{Lu}{2,6}(?![\p{L}\p{N}])/gu;

export function capitalCodes(text: string): string {
	// Text written all in capitals has no codes to tell apart from its words.
	if (!/\p{Ll}/u.test(text)) return '';
	return Array.from(text.matchAll(CAPITAL_CODE), (match) => match[0]).join(' ');
}

/** {@link guardSignature} from the original text and its `normalizeForSimilarity` form, when both are at hand. */
export function signatureOf(text: string, normalized: string): string {
	const codes = capitalCodes(text);
	const signature = signatureOfNormalized(normalized);
	return codes ? `${signature}\u0002${codes}` : signature;
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
