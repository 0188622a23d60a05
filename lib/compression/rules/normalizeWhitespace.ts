/**
 * Line-level whitespace clean-up. It never changes a visible character: NFKC is deliberately not applied,
 * because it rewrites characters such as superscript digits (x² -> x2) and ligatures.
 */

// Invisible characters that carry nothing: zero width space, word joiner, BOM / zero width no-break space.
const ALWAYS_INVISIBLE = /[\u200B\u2060\uFEFF]/g;
// Zero width (non-)joiners shape emoji sequences and Persian or Indic words; they are only noise when they do not
// sit between two visible characters.
const JOINER_RUN = /[\u200C\u200D]+/g;
// Unicode space separators (category Zs) other than the plain space.
const SPACE_SEPARATOR = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
const HAS_WHITESPACE = /\s/;
const INDENTATION = /^[ \t]*/;
const INNER_SPACE_RUN = /[ \t]+/g;
const TRAILING_SPACE = /[ \t]+$/;
// Characters that make a line worth the full treatment; most prose lines have none.
const NEEDS_WORK = /[\u200B-\u200D\u2060\uFEFF\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\t]|[ \t]$| {2}/;

function isVisibleAt(text: string, index: number): boolean {
	return index >= 0 && index < text.length && !HAS_WHITESPACE.test(text[index]);
}

/** Removes invisible zero-width characters, keeping joiners that join two visible characters. */
export function stripZeroWidth(line: string): string {
	const stripped = line.replace(ALWAYS_INVISIBLE, '');
	return stripped.replace(JOINER_RUN, (run: string, offset: number) =>
		isVisibleAt(stripped, offset - 1) && isVisibleAt(stripped, offset + run.length) ? run : '',
	);
}

/**
 * Strips zero-width characters, turns Unicode spaces into plain spaces, collapses runs of spaces and tabs after
 * the indentation into one space and drops trailing spaces. The indentation itself is kept as it is, because
 * it carries structure (YAML, Python, nested lists).
 * Idempotent: `normalizeLine(normalizeLine(x)) === normalizeLine(x)`.
 */
export function normalizeLine(line: string): string {
	if (!NEEDS_WORK.test(line)) return line;
	const text = stripZeroWidth(line).replace(SPACE_SEPARATOR, ' ').replace(TRAILING_SPACE, '');
	const indentation = INDENTATION.exec(text)![0];
	return indentation + text.slice(indentation.length).replace(INNER_SPACE_RUN, ' ');
}
