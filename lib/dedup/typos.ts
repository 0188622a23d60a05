import { NUMBER_WORDS, POLARITY_WORDS } from './lexicon';

/*
 * Typo tolerance (opt-in): a normalised word may stand for another when both are long, plain lower-case words
 * and one edit inside the word turns one into the other: a substitution, an insertion, a deletion or a swap
 * of two neighbouring letters, never touching the first or the last letter. The first and last letters are
 * where prefixes and endings change meaning ("typical"/"atypical", "document"/"documents", "German"/"Germany");
 * short words are too close to each other to tell a typo from another word. What it can still merge wrongly
 * (two real words one inner letter apart, such as "complement"/"compliment") is listed in README.
 */

/** Words shorter than this never count as a typo of another word. */
export const MIN_TYPO_WORD_LENGTH = 8;

const LOWER_CASE_WORD = /^\p{Ll}+$/u;

/**
 * Whether a normalised word may differ from another by a typo: long, lower-case letters only (no digit, mark
 * or capital: those are identifiers, codes and units), and not a word whose change flips a meaning (negations,
 * verbs with an opposite, number words: see `lexicon.ts`).
 */
export function mayBeTypo(word: string): boolean {
	return (
		word.length >= MIN_TYPO_WORD_LENGTH && LOWER_CASE_WORD.test(word) && !POLARITY_WORDS.has(word) && !NUMBER_WORDS.has(word)
	);
}

/**
 * What two typo-prone words share by construction: the first and last letters (and that they are typo-prone
 * at all). Words that differ here can never be a typo of each other.
 */
export function typoShape(word: string): string {
	return `\u0001${word[0]}${word[word.length - 1]}`;
}

/** Whether `a` and `b` (both {@link mayBeTypo}) are one edit apart, inside the word. Linear in their length. */
export function isInnerTypo(a: string, b: string): boolean {
	if (a === b || Math.abs(a.length - b.length) > 1) return false;
	const shorter = Math.min(a.length, b.length);
	let prefix = 0;
	while (prefix < shorter && a[prefix] === b[prefix]) prefix++;
	let suffix = 0;
	while (suffix < shorter - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
	if (prefix === 0 || suffix === 0) return false;
	const changedInA = a.length - prefix - suffix;
	const changedInB = b.length - prefix - suffix;
	// One inserted or deleted letter, or one substituted letter.
	if (changedInA + changedInB === 1 || (changedInA === 1 && changedInB === 1)) return true;
	// Two neighbouring letters swapped.
	return changedInA === 2 && changedInB === 2 && a[prefix] === b[prefix + 1] && a[prefix + 1] === b[prefix];
}
