// Characters a JSON value may hold outside strings besides brackets, quotes, commas and colons: whitespace,
// number characters and the letters of true, false and null. Anything else means the line is prose.
const SCALAR_CHARACTERS = new Set('0123456789+-.eEtrufalsn');
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const LITERALS = new Set(['true', 'false', 'null']);
const HEX = /^[0-9a-fA-F]{4}$/;
const SIMPLE_ESCAPES = new Set('"\\/bfnrt');

/** What a container expects next. */
type Expecting = 'keyOrEnd' | 'key' | 'colon' | 'value' | 'valueOrEnd' | 'commaOrEnd';

interface Container {
	close: '}' | ']';
	line: number;
	/** Whether the bracket is the first non-space character of its line, i.e. may start a block. */
	startsLine: boolean;
	expecting: Expecting;
	/** Whether it is valid JSON so far, its nested containers included. */
	valid: boolean;
}

function indentationLength(line: string): number {
	let index = 0;
	while (index < line.length && (line[index] === ' ' || line[index] === '\t')) index++;
	return index;
}

function acceptValue(container: Container | undefined): void {
	if (container === undefined) return;
	if (container.expecting === 'value' || container.expecting === 'valueOrEnd') container.expecting = 'commaOrEnd';
	else container.valid = false;
}

/**
 * Where the string starting at `start` ends (just past its quote; -1 if not on this line), and whether its
 * escapes and characters are valid JSON.
 */
function stringEnd(line: string, start: number): { end: number; valid: boolean } {
	let valid = true;
	for (let index = start + 1; index < line.length; index++) {
		const char = line[index];
		if (char === '"') return { end: index + 1, valid };
		if (char === '\\') {
			const escaped = line[index + 1];
			if (escaped === 'u') {
				if (!HEX.test(line.slice(index + 2, index + 6))) valid = false;
				index += 5;
			} else {
				if (!SIMPLE_ESCAPES.has(escaped)) valid = false;
				index++;
			}
		} else if (char.charCodeAt(0) < 0x20) {
			valid = false;
		}
	}
	return { end: -1, valid: false };
}

/**
 * Finds the line ranges that hold a valid standalone JSON object or array: from a line that starts with `{` or
 * `[` to the line that ends with its matching bracket. Returns first line -> last line, nested ranges included
 * (the caller takes the outermost). One pass checks the syntax of every container at once, so the cost stays
 * linear however deep invalid JSON nests; a character JSON does not allow outside strings ends the attempt,
 * so prose costs a look at its first character. Expects whitespace-normalised lines.
 */
export function findJsonCandidates(lines: readonly string[]): Map<number, number> {
	const candidates = new Map<number, number>();
	const open: Container[] = [];
	for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
		const line = lines[lineIndex];
		const indentation = indentationLength(line);
		if (indentation === line.length) continue;
		if (open.length === 0 && line[indentation] !== '{' && line[indentation] !== '[') continue;
		let index = open.length === 0 ? indentation : 0;
		scan: while (index < line.length) {
			const char = line[index];
			const top = open[open.length - 1] as Container | undefined;
			switch (char) {
				case ' ':
				case '\t':
					index++;
					break;
				case '"': {
					const { end, valid } = stringEnd(line, index);
					// JSON strings cannot span lines.
					if (end === -1) {
						open.length = 0;
						break scan;
					}
					if (top !== undefined) {
						if (top.expecting === 'keyOrEnd' || top.expecting === 'key') top.expecting = 'colon';
						else acceptValue(top);
						if (!valid) top.valid = false;
					}
					index = end;
					break;
				}
				case '{':
				case '[':
					acceptValue(top);
					open.push({
						close: char === '{' ? '}' : ']',
						line: lineIndex,
						startsLine: index === indentation,
						expecting: char === '{' ? 'keyOrEnd' : 'valueOrEnd',
						valid: true,
					});
					index++;
					break;
				case '}':
				case ']': {
					const container = open.pop();
					if (container === undefined || container.close !== char) {
						open.length = 0;
						break scan;
					}
					const complete =
						container.expecting === 'commaOrEnd' ||
						container.expecting === (char === '}' ? 'keyOrEnd' : 'valueOrEnd');
					const valid = container.valid && complete;
					if (valid && container.startsLine && index === line.length - 1) candidates.set(container.line, lineIndex);
					const parent = open[open.length - 1] as Container | undefined;
					if (parent !== undefined && !valid) parent.valid = false;
					// Back outside any value: whatever follows on this line is prose.
					if (parent === undefined) break scan;
					index++;
					break;
				}
				case ',':
					if (top !== undefined) {
						if (top.expecting !== 'commaOrEnd') top.valid = false;
						else top.expecting = top.close === '}' ? 'key' : 'value';
					}
					index++;
					break;
				case ':':
					if (top !== undefined) {
						if (top.expecting !== 'colon') top.valid = false;
						else top.expecting = 'value';
					}
					index++;
					break;
				default: {
					let end = index;
					while (end < line.length && SCALAR_CHARACTERS.has(line[end])) end++;
					if (end === index) {
						open.length = 0;
						break scan;
					}
					const token = line.slice(index, end);
					if (top !== undefined && !LITERALS.has(token) && !NUMBER.test(token)) top.valid = false;
					acceptValue(top);
					index = end;
				}
			}
		}
	}
	return candidates;
}
