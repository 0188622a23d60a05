/**
 * Text for near-duplicate comparison only: it is compared and kept in memory, never sent to a model.
 *
 * Normalisation removes only what cannot change what a prompt asks, so that two prompts with the same
 * normalised text are the same question:
 * - whitespace and line breaks (runs become one space; invisible zero-width characters and the BOM go);
 * - case, where it is formatting: a capitalised word ("Summarise", "France"), or the whole text in capitals
 *   (labels that start a line, such as "user:", aside).
 *   Words in capitals inside ordinary text ("USD", "MB"), mixed case ("mW", "userName") and one- or
 *   two-letter capitalised words inside a sentence ("Mb", "X") keep their case: there it is meaning;
 * - the typographic form of quotes and apostrophes ("’" and "'", "“" and '"'), never the quotes themselves;
 * - ".", ",", ";", ":" and "…" at the end of a plain word ("review." and "review"), not at the end of code-like
 *   text: "[1," keeps its comma, "print(a;" its semicolon.
 * Everything else stays as written: operators and signs ("!", "?", "=", "<", "+", "-", "*", "/", "%", "&", "|",
 * "^", "~", "$", "#", "@"), brackets, digits (NFC keeps "²" apart from "2"), letters and their accents.
 */

// Zero-width space, word joiner, byte-order mark, soft hyphen: inserted by editors and copy-paste, never seen.
const INVISIBLE = /[\u200B\u2060\uFEFF\u00AD]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u02BC]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F]/g;
const WHITESPACE = /\s+/u;
const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;

const TRAILING_PUNCTUATION = new Set(['.', ',', ';', ':', '…']);
// What a word may consist of for its trailing punctuation to be formatting: letters, digits and the marks of
// numbers, dates, identifiers and addresses. Brackets, quotes and operators make it code, where "," and ";" differ.
const PLAIN_WORD = /^[\p{L}\p{M}\p{N}'.,:\-_%/+#@&°\p{Sc}]+$/u;
const SENTENCE_END = /[.!?:…]$/;
const LETTER = /\p{L}/gu;

/** The word without trailing sentence punctuation, when it is a plain word and something remains. */
function withoutTrailingPunctuation(word: string): string {
	// A backwards scan, not a regular expression: a long run of dots must cost its length, not its square.
	let end = word.length;
	while (end > 0 && TRAILING_PUNCTUATION.has(word[end - 1])) end--;
	if (end === word.length || end === 0) return word;
	const rest = word.slice(0, end);
	return PLAIN_WORD.test(rest) ? rest : word;
}

/** Capitalised: its first character an upper-case letter, no other upper-case letter after it. */
function isCapitalised(word: string): boolean {
	const first = String.fromCodePoint(word.codePointAt(0) as number);
	const rest = word.slice(first.length);
	return first.toLowerCase() !== first && rest.toLowerCase() === rest;
}

function caseFolded(word: string, shouting: boolean, startsSentence: boolean): string {
	const lower = word.toLowerCase();
	if (lower === word) return word;
	// In shouting text only the words in capitals are folded: a label written "mW:" stays itself.
	if (shouting && word.toUpperCase() === word) return lower;
	if (!isCapitalised(word)) return word;
	// "Summarise", "France": formatting. "Mb" and "X" inside a sentence: units and names of variables.
	const letters = word.match(LETTER)?.length ?? 0;
	return letters >= 3 || startsSentence ? lower : word;
}

/**
 * Whether the text is shouting ("TURN ON THE LIGHTS"): no lower-case letter outside the labels that start its
 * lines ("user:", "Note:"), and at least one run of three capitals, so that a lone code or unit ("5 MW", not
 * "5 mW") is not taken for it.
 */
function isShouting(lines: ReadonlyArray<readonly string[]>): boolean {
	let hasCapitalRun = false;
	for (const words of lines) {
		const body = words.length > 1 && words[0].endsWith(':') ? words.slice(1) : words;
		for (const word of body) {
			if (/\p{Ll}/u.test(word)) return false;
			hasCapitalRun ||= /\p{Lu}{3}/u.test(word);
		}
	}
	return hasCapitalRun;
}

/** The normalised words of a text, in order (see the module comment for what normalisation removes). */
export function normalizedWords(text: string): string[] {
	if (typeof text !== 'string') throw new TypeError(`Expected \`text\` to be a string, got ${typeof text}`);
	const cleaned = text.normalize('NFC').replace(INVISIBLE, '').replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"');
	const lines = cleaned.split(LINE_BREAK).map((line) => line.split(WHITESPACE).filter((word) => word !== ''));
	const shouting = isShouting(lines);
	const words: string[] = [];
	let startsSentence = true;
	for (const word of lines.flat()) {
		words.push(caseFolded(withoutTrailingPunctuation(word), shouting, startsSentence));
		startsSentence = SENTENCE_END.test(word);
	}
	return words;
}

/** {@link normalizedWords} joined by single spaces: equal for two prompts exactly when they ask the same. */
export function normalizeForSimilarity(text: string): string {
	return normalizedWords(text).join(' ');
}
