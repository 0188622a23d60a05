/** Markdown fenced code blocks (CommonMark rules: up to 3 spaces of indentation, 3 or more backticks or tildes). */

export interface FenceOpening {
	marker: '`' | '~';
	length: number;
	/** The info string, trimmed, e.g. `json` or `ts title="a.ts"`. */
	info: string;
}

export type TextBlock =
	| { kind: 'prose'; first: number; last: number }
	| { kind: 'fence'; first: number; last: number; opening: FenceOpening; closed: boolean };

const OPENING = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const CLOSING = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

export function readFenceOpening(line: string): FenceOpening | undefined {
	const match = OPENING.exec(line);
	if (match === null) return undefined;
	const marker = match[1][0] as FenceOpening['marker'];
	// A backtick fence's info string may not contain backticks: "``` a`b" is inline code, not a fence.
	if (marker === '`' && match[2].includes('`')) return undefined;
	return { marker, length: match[1].length, info: match[2].trim() };
}

export function closesFence(line: string, opening: FenceOpening): boolean {
	const match = CLOSING.exec(line);
	return match !== null && match[1][0] === opening.marker && match[1].length >= opening.length;
}

export function isJsonFence(opening: FenceOpening): boolean {
	return opening.info.split(/\s/, 1)[0].toLowerCase() === 'json';
}

/**
 * Splits lines into prose and fenced blocks. Takes whitespace-normalised lines so that a fence hidden behind
 * a zero-width character is recognised on the first pass already: the split must not change once the text
 * has been cleaned, or compression would not be idempotent. An unclosed fence runs to the end of the text.
 */
export function findTextBlocks(lines: readonly string[]): TextBlock[] {
	const blocks: TextBlock[] = [];
	let proseFirst = 0;
	let index = 0;
	while (index < lines.length) {
		const opening = readFenceOpening(lines[index]);
		if (opening === undefined) {
			index++;
			continue;
		}
		if (proseFirst < index) blocks.push({ kind: 'prose', first: proseFirst, last: index - 1 });
		let closing = index + 1;
		while (closing < lines.length && !closesFence(lines[closing], opening)) closing++;
		const closed = closing < lines.length;
		const last = closed ? closing : lines.length - 1;
		blocks.push({ kind: 'fence', first: index, last, opening, closed });
		index = last + 1;
		proseFirst = index;
	}
	if (proseFirst < lines.length) blocks.push({ kind: 'prose', first: proseFirst, last: lines.length - 1 });
	return blocks;
}
