export interface SplitLines {
	lines: string[];
	/** The break that ended each line (`\n`, `\r\n` or `\r`); `''` for the last line. */
	breaks: string[];
}

const LINE_BREAK = /\r\n|\r|\n/g;

export function splitLines(text: string): SplitLines {
	const lines: string[] = [];
	const breaks: string[] = [];
	let start = 0;
	for (const match of text.matchAll(LINE_BREAK)) {
		lines.push(text.slice(start, match.index));
		breaks.push(match[0]);
		start = match.index + match[0].length;
	}
	lines.push(text.slice(start));
	breaks.push('');
	return { lines, breaks };
}

/** Lines `first` to `last` as they were, with the breaks between them but not the one after `last`. */
export function joinOriginal({ lines, breaks }: SplitLines, first: number, last: number): string {
	let text = lines[first];
	for (let index = first + 1; index <= last; index++) text += breaks[index - 1] + lines[index];
	return text;
}
