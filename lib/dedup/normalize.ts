/**
 * Text for near-duplicate comparison only: it is compared and kept in memory, never sent to a model, so it may
 * lose distinctions a model would see (case, width, ligatures) as long as the guards still see what matters.
 */

// Typographic apostrophes, primes, the backtick and the acute accent all stand for "'" in practice; one form
// makes "don’t", "don`t" and "don't" equal and lets the guards find the contraction either way.
const APOSTROPHES = /[\u2018\u2019\u201A\u201B\u02BC\u2032\u0060\u00B4]/g;

// The minus sign (U+2212) is not folded by NFKC; a number's sign is part of the guard signature, so "−5" and
// "-5" must agree.
const MINUS_SIGN = /\u2212/g;

// Invisible characters that editors and copy-paste insert without changing the text: zero-width space, word
// joiner, byte-order mark, soft hyphen. Zero-width (non-)joiners stay: they change letters in some scripts.
const INVISIBLE = /[\u200B\u2060\uFEFF\u00AD]/g;

const WHITESPACE = /\s+/u;

// Sentence punctuation, quotes and brackets around a word. "?" is not among them: a question and a statement
// ask for different answers. Neither are "-", "+", "%", "/", "*" and the like: the guards count them.
const EDGE_PUNCTUATION = /^[.,;:!"'()[\]{}«»‹›“”„‟¡]+|[.,;:!"'()[\]{}«»‹›“”„‟¡]+$/g;

/**
 * Lower-cased NFKC text with one space between words, without invisible characters and without trivial
 * punctuation at the edges of words ("mode." and "mode" compare equal, "1,000" and "e.g" keep their inner marks).
 *
 * NFKC folds width and compatibility forms (full-width letters and digits, ligatures, superscripts) into their
 * plain forms. Lower-casing is `toLowerCase()`, not full case folding: "ß" and "ss" stay different.
 */
export function normalizeForSimilarity(text: string): string {
	if (typeof text !== 'string') throw new TypeError(`Expected \`text\` to be a string, got ${typeof text}`);
	return text
		.normalize('NFKC')
		.replace(INVISIBLE, '')
		.replace(APOSTROPHES, "'")
		.replace(MINUS_SIGN, '-')
		.toLowerCase()
		.split(WHITESPACE)
		.map((word) => word.replace(EDGE_PUNCTUATION, ''))
		.filter((word) => word !== '')
		.join(' ');
}
