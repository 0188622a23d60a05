/** One line of output (or, when verbatim, a block of lines that no later rule may touch). */
export interface Piece {
	text: string;
	/** Fenced code, minified JSON and generated tables: not normalised, collapsed or counted as blank. */
	verbatim: boolean;
}
