const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whitespace that may go outside JSON strings: JSON's own (space, tab, LF, CR) plus Unicode spaces and
 * zero-width characters, which the prose rules would turn into spaces or drop anyway.
 */
function isDroppable(code: number): boolean {
	if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) return true;
	if (code < 0xa0) return false;
	return (
		code === 0xa0 ||
		code === 0x1680 ||
		(code >= 0x2000 && code <= 0x200d) ||
		code === 0x202f ||
		code === 0x205f ||
		code === 0x2060 ||
		code === 0x3000 ||
		code === 0xfeff
	);
}

/**
 * Removes the whitespace outside strings and keeps every other character as it was, so numbers such as 1.0,
 * 1e3 or 12345678901234567890 keep their exact text (JSON.stringify(JSON.parse(x)) would rewrite them).
 */
export function stripJsonWhitespace(text: string): string {
	let result = '';
	let kept = 0;
	let inString = false;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (inString) {
			if (code === BACKSLASH) index++;
			else if (code === QUOTE) inString = false;
		} else if (code === QUOTE) {
			inString = true;
		} else if (isDroppable(code)) {
			result += text.slice(kept, index);
			kept = index + 1;
		}
	}
	return kept === 0 ? text : result + text.slice(kept);
}

/** The text without whitespace outside strings, if it is a JSON object or array; otherwise `undefined`. */
export function minifyJson(text: string): string | undefined {
	const minified = stripJsonWhitespace(text);
	const first = minified[0];
	if (first !== '{' && first !== '[') return undefined;
	try {
		JSON.parse(minified);
	} catch {
		return undefined;
	}
	return minified;
}
