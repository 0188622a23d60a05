import type { TextBlock } from './fences';
import type { SplitLines } from './lines';
import type { Piece } from './piece';
import { findJsonBlocks } from './rules/minifyJsonBlocks';
import { tabulateJsonArray } from './rules/tabulateJsonArray';
import type { CompressionMode, CompressionRule } from './types';

/**
 * The lines of a prose block: JSON blocks minified (or, in aggressive mode, turned into tables), every other
 * line whitespace-normalised. Repeated and blank lines are left to the caller, which sees across blocks.
 */
export function compressProse(
	split: SplitLines,
	normalized: readonly string[],
	block: Extract<TextBlock, { kind: 'prose' }>,
	mode: CompressionMode,
	applied: Set<CompressionRule>,
): Piece[] {
	const lines = split.lines.slice(block.first, block.last + 1);
	const normalizedLines = normalized.slice(block.first, block.last + 1);
	const pieces: Piece[] = [];
	const pushNormalized = (from: number, to: number) => {
		for (let index = from; index < to; index++) {
			if (normalizedLines[index] !== lines[index]) applied.add('normalizeWhitespace');
			pieces.push({ text: normalizedLines[index], verbatim: false });
		}
	};
	let next = 0;
	for (const json of findJsonBlocks(lines, normalizedLines)) {
		pushNormalized(next, json.first);
		const table = mode === 'aggressive' ? tabulateJsonArray(json.json) : undefined;
		if (table !== undefined) {
			applied.add('tabulateJsonArrays');
			pieces.push({ text: table, verbatim: true });
		} else {
			const minified = json.indentation + json.json;
			if (minified !== lines.slice(json.first, json.last + 1).join('\n')) applied.add('minifyJson');
			// Verbatim, i.e. never merged into a ` [x N]` line: that line would be prose on the next pass, and
			// normalising it would reach into the strings.
			pieces.push({ text: minified, verbatim: true });
		}
		next = json.last + 1;
	}
	pushNormalized(next, lines.length);
	return pieces;
}
