import { compressText } from '../../../lib/compression';
import { normalizeLine, stripZeroWidth } from '../../../lib/compression/rules/normalizeWhitespace';

const safe = (text: string) => compressText(text, 'safe').text;

describe('whitespace normalisation (safe)', () => {
	it('turns CRLF and CR line breaks into LF', () => {
		expect(safe('one\r\ntwo\rthree\nfour')).toBe('one\ntwo\nthree\nfour');
	});

	it('turns non-breaking and other Unicode spaces into plain spaces', () => {
		expect(safe('a\u00A0b\u2009c\u202Fd\u3000e\u2003f')).toBe('a b c d e f');
	});

	it('strips zero-width characters but keeps joiners that join two visible characters', () => {
		expect(safe('zero\u200Bwidth\uFEFF joiner\u2060s')).toBe('zerowidth joiners');
		// Emoji sequences and Persian words need their joiners; stray ones at a word edge go.
		expect(safe('dev 👩\u200D💻 and \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645')).toBe(
			'dev 👩\u200D💻 and \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645',
		);
		expect(stripZeroWidth('\u200Dedge\u200C word \u200D')).toBe('edge word ');
	});

	it('trims trailing whitespace and collapses inner runs, keeping the indentation', () => {
		expect(safe('title   \n    indented  \t line\t\n\tkey:\t\tvalue ')).toBe('title\n    indented line\n\tkey: value');
		expect(normalizeLine('  a  b  ')).toBe('  a b');
		expect(normalizeLine(' \u00A0 ')).toBe('');
	});

	it('keeps at most one blank line and trims the text, but not the first line indentation', () => {
		expect(safe('\n\n\n  first\n\n\n\nsecond\n \n\t\n \nthird\n\n\n')).toBe('  first\n\nsecond\n\nthird');
	});

	it('never rewrites characters the way NFKC would', () => {
		const text = 'x² ﬁne ① Ⅻ ｆｕｌｌ ½ café naïve';
		expect(safe(text)).toBe(text);
	});

	it('is idempotent line by line', () => {
		for (const line of ['  a\u00A0 \u200B b\t ', '\u200D\u200C', '\t\ta  b', 'a\u200D\u200Bb']) {
			expect(normalizeLine(normalizeLine(line))).toBe(normalizeLine(line));
		}
	});
});
