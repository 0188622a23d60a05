import { compressFence } from './compressFence';
import { compressProse } from './compressProse';
import { findTextBlocks } from './fences';
import { splitLines, type SplitLines } from './lines';
import type { Piece } from './piece';
import { collapseBlankLines } from './rules/collapseBlankLines';
import { collapseRepeatedLines } from './rules/collapseRepeatedLines';
import { normalizeLine } from './rules/normalizeWhitespace';
import { COMPRESSION_MODES, type CompressionMode, type CompressionResult, type CompressionRule } from './types';

const RULE_ORDER: readonly CompressionRule[] = [
	'normalizeWhitespace',
	'minifyJson',
	'tabulateJsonArrays',
	'collapseRepeatedLines',
];

function hasForeignBreak(split: SplitLines, first: number, last: number): boolean {
	for (let index = first; index <= last; index++) {
		if (split.breaks[index] !== '\n' && split.breaks[index] !== '') return true;
	}
	return false;
}

/** Collapses repeated lines within each run of consecutive prose lines; verbatim pieces end a run. */
function collapseRepeats(pieces: readonly Piece[], applied: Set<CompressionRule>): Piece[] {
	const result: Piece[] = [];
	let run: string[] = [];
	const flush = () => {
		if (run.length === 0) return;
		const collapsed = collapseRepeatedLines(run);
		if (collapsed.length !== run.length) applied.add('collapseRepeatedLines');
		for (const text of collapsed) result.push({ text, verbatim: false });
		run = [];
	};
	for (const piece of pieces) {
		if (piece.verbatim) {
			flush();
			result.push(piece);
		} else {
			run.push(piece.text);
		}
	}
	flush();
	return result;
}

/**
 * Shrinks a prompt without changing what it says.
 *
 * - `off`: the text as it is.
 * - `safe`: whitespace normalised (line breaks, Unicode spaces, zero-width characters, runs of spaces, trailing
 *   spaces, blank lines), standalone JSON objects and arrays minified (strings and numbers kept exactly) and
 *   runs of 3 or more identical lines collapsed to one line ending in ` [x N]` (minified JSON lines excepted).
 *   Words and digits of prose are never changed. Fenced code blocks are kept byte for byte, except that
 *   ```json blocks are minified.
 * - `aggressive`: `safe`, plus standalone JSON arrays of flat objects rewritten as tab-separated tables in a
 *   ```tsv fence. Arrays nested inside other JSON values and arrays in ```json fences stay JSON.
 *
 * Deterministic and idempotent: compressing the result again changes nothing. Runs in time linear in the text.
 */
export function compressText(text: string, mode: CompressionMode): CompressionResult {
	if (typeof text !== 'string') throw new TypeError(`Expected \`text\` to be a string, got ${typeof text}`);
	if (!COMPRESSION_MODES.includes(mode)) {
		throw new TypeError(`Expected \`mode\` to be one of ${COMPRESSION_MODES.join(', ')}, got ${String(mode)}`);
	}
	if (mode === 'off' || text === '') return { text, changed: false, rulesApplied: [] };

	const applied = new Set<CompressionRule>();
	const split = splitLines(text);
	const normalized = split.lines.map(normalizeLine);
	let pieces: Piece[] = [];
	for (const block of findTextBlocks(normalized)) {
		if (block.kind === 'fence') {
			if (hasForeignBreak(split, block.last, block.last)) applied.add('normalizeWhitespace');
			pieces.push({ text: compressFence(split, block, applied), verbatim: true });
		} else {
			if (hasForeignBreak(split, block.first, block.last)) applied.add('normalizeWhitespace');
			for (const piece of compressProse(split, normalized, block, mode, applied)) pieces.push(piece);
		}
	}
	pieces = collapseRepeats(pieces, applied);
	const withoutBlanks = collapseBlankLines(pieces);
	if (withoutBlanks !== undefined) {
		applied.add('normalizeWhitespace');
		pieces = withoutBlanks;
	}

	const output = pieces.map((piece) => piece.text).join('\n');
	return {
		text: output,
		changed: output !== text,
		rulesApplied: RULE_ORDER.filter((rule) => applied.has(rule)),
	};
}
