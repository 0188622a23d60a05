import { findJsonCandidates } from '../json/findJsonCandidates';
import { minifyJson } from '../json/minifyJson';

export interface JsonBlock {
	first: number;
	last: number;
	/** The indentation of the block's first line, kept in front of the minified JSON. */
	indentation: string;
	/** The block without whitespace outside strings. */
	json: string;
}

const INDENTATION = /^[ \t]*/;

/**
 * Standalone JSON objects and arrays in prose (the whole text included), minified. Each block is read from the
 * original lines so that whitespace inside its strings is kept; only when that fails to parse is the
 * whitespace-normalised text tried (e.g. a raw tab inside a string, which JSON forbids and normalisation turns
 * into a space): the next pass would see that text and minify it, so this pass must already.
 */
export function findJsonBlocks(lines: readonly string[], normalizedLines: readonly string[]): JsonBlock[] {
	const candidates = findJsonCandidates(normalizedLines);
	const blocks: JsonBlock[] = [];
	if (candidates.size === 0) return blocks;
	for (let first = 0; first < normalizedLines.length; first++) {
		const last = candidates.get(first);
		if (last === undefined) continue;
		const json =
			minifyJson(lines.slice(first, last + 1).join('\n')) ??
			minifyJson(normalizedLines.slice(first, last + 1).join('\n'));
		if (json === undefined) continue;
		blocks.push({ first, last, indentation: INDENTATION.exec(normalizedLines[first])![0], json });
		first = last;
	}
	return blocks;
}
