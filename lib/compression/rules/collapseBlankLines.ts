import type { Piece } from '../piece';

/**
 * Keeps at most one blank line in a row (so 3+ line breaks become 2) and none at the start or end of the text.
 * The first line keeps its indentation: it may be structure (YAML, an indented code block), not padding.
 * Returns `undefined` when nothing was dropped.
 */
export function collapseBlankLines(pieces: readonly Piece[]): Piece[] | undefined {
	const kept: Piece[] = [];
	let previousBlank = true;
	for (const piece of pieces) {
		const blank = !piece.verbatim && piece.text === '';
		if (blank && previousBlank) continue;
		kept.push(piece);
		previousBlank = blank;
	}
	if (previousBlank && kept.length > 0) kept.pop();
	return kept.length === pieces.length ? undefined : kept;
}
