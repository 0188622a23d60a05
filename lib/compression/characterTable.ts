/**
 * Per-character facts for the token counter, looked up in a table over the Basic Multilingual Plane instead of
 * running Unicode regexes per character (a table read is what keeps a 15 MB scan in tens of milliseconds).
 */

/** Bits of {@link characterFlags}, matching the classes of the o200k pre-tokenizer. */
export const SPACE = 1; // \s
export const LETTER = 2; // \p{L}
export const MARK = 4; // \p{M}: continues a letter piece and a punctuation piece alike
export const DIGIT = 8; // \p{N}
export const PUNCTUATION = 16; // neither \s, \p{L} nor \p{N}

/** Classes of {@link estimateClass}, each with its own tokens-per-character weight. */
export const enum EstimateClass {
	LatinLetter = 0,
	CjkLetter = 1,
	OtherLetter = 2,
	Digit = 3,
	Space = 4,
	AsciiPunctuation = 5,
	OtherPunctuation = 6,
	/** One half of a surrogate pair (emoji, rare CJK): weighted per UTF-16 unit. */
	Surrogate = 7,
}
export const ESTIMATE_CLASS_COUNT = 8;

let flags: Uint8Array | undefined;
let classes: Uint8Array | undefined;

function build(): void {
	flags = new Uint8Array(0x10000);
	classes = new Uint8Array(0x10000);
	const space = /\s/u;
	const letter = /\p{L}/u;
	const mark = /\p{M}/u;
	const digit = /\p{N}/u;
	const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
	for (let code = 0; code < 0x10000; code++) {
		if (code >= 0xd800 && code <= 0xdfff) {
			// Half of an astral character: it may be a letter or a symbol, so it continues either kind of run.
			flags[code] = LETTER | MARK | PUNCTUATION;
			classes[code] = EstimateClass.Surrogate;
			continue;
		}
		const char = String.fromCharCode(code);
		if (space.test(char)) {
			flags[code] = SPACE;
			classes[code] = EstimateClass.Space;
		} else if (letter.test(char)) {
			flags[code] = LETTER;
			classes[code] = code < 0x250 ? EstimateClass.LatinLetter : cjk.test(char) ? EstimateClass.CjkLetter : EstimateClass.OtherLetter;
		} else if (mark.test(char)) {
			flags[code] = MARK | PUNCTUATION;
			classes[code] = EstimateClass.OtherLetter;
		} else if (digit.test(char)) {
			flags[code] = DIGIT;
			classes[code] = EstimateClass.Digit;
		} else {
			flags[code] = PUNCTUATION;
			classes[code] = code < 0x80 ? EstimateClass.AsciiPunctuation : EstimateClass.OtherPunctuation;
		}
	}
}

/** Flags per UTF-16 code unit (built on first use, ~20 ms). */
export function characterFlags(): Uint8Array {
	if (!flags) build();
	return flags!;
}

/** Estimate class per UTF-16 code unit. */
export function estimateClasses(): Uint8Array {
	if (!classes) build();
	return classes!;
}
