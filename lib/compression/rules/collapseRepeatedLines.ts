/** Minimum number of identical consecutive lines that are collapsed into one. */
export const MIN_REPEATS = 3;

// A line that already carries a count, e.g. "WARN disk almost full [x 12]". Counts are capped at 15 digits so
// that every total we write is an exact integer that this pattern reads back.
const COUNTED_LINE = /^(.*) \[x ([1-9]\d{0,14})\]$/;
const MAX_COUNT = 999_999_999_999_999;

function repeatMarker(count: number): string {
	return ` [x ${count}]`;
}

interface CountedLine {
	base: string;
	count: number;
}

function readCount(line: string): CountedLine {
	const match = COUNTED_LINE.exec(line);
	return match === null ? { base: line, count: 1 } : { base: match[1], count: Number(match[2]) };
}

/**
 * Replaces runs of identical non-empty lines with the line once plus ` [x N]`. A line that already carries a
 * count adds it to its run ("a", "a [x 3]" -> "a [x 4]"), which is what keeps the rule idempotent: its output
 * never holds two neighbours with the same line text. Expects whitespace-normalised lines.
 */
export function collapseRepeatedLines(lines: readonly string[]): string[] {
	const result: string[] = [];
	let index = 0;
	while (index < lines.length) {
		if (lines[index] === '') {
			result.push('');
			index++;
			continue;
		}
		const { base } = readCount(lines[index]);
		let end = index;
		let total = 0;
		while (end < lines.length && lines[end] !== '') {
			const counted = readCount(lines[end]);
			if (counted.base !== base) break;
			total += counted.count;
			end++;
		}
		if (end - index >= 2 && total >= MIN_REPEATS && total <= MAX_COUNT) result.push(base + repeatMarker(total));
		else for (let copy = index; copy < end; copy++) result.push(lines[copy]);
		index = end;
	}
	return result;
}
