import { compressText } from '../../../lib/compression';
import { collapseRepeatedLines } from '../../../lib/compression/rules/collapseRepeatedLines';

describe('collapsing repeated lines', () => {
	it('collapses 3 or more identical lines into one with a count', () => {
		const log = ['start', ...Array(12).fill('WARN disk almost full'), 'done'].join('\n');
		const result = compressText(log, 'safe');
		expect(result.text).toBe('start\nWARN disk almost full [x 12]\ndone');
		expect(result.rulesApplied).toEqual(['collapseRepeatedLines']);
	});

	it('leaves pairs, blank lines and lines separated by others alone', () => {
		const text = 'a\na\nb\n\n\nc\nd\nc\nd\nc';
		expect(compressText(text, 'safe').text).toBe('a\na\nb\n\nc\nd\nc\nd\nc');
	});

	it('compares lines after whitespace normalisation, indentation included', () => {
		expect(compressText('x  1 \nx 1\t\nx\u00A01\n  x 1', 'safe').text).toBe('x 1 [x 3]\n  x 1');
	});

	it('adds to counts already present, so a second pass changes nothing', () => {
		expect(collapseRepeatedLines(['a', 'a [x 3]'])).toEqual(['a [x 4]']);
		expect(collapseRepeatedLines(['a [x 3]', 'a [x 3]', 'b'])).toEqual(['a [x 6]', 'b']);
		expect(collapseRepeatedLines(['a [x 5]', 'b [x 3]'])).toEqual(['a [x 5]', 'b [x 3]']);
		expect(collapseRepeatedLines(['a', 'a [x 1]'])).toEqual(['a', 'a [x 1]']);
		// "a" three times, then the literal text "a [x 3]" twice: one run of 9, not three equal lines.
		const tricky = ['a', 'a', 'a', 'a [x 3]', 'a [x 3]'];
		const once = collapseRepeatedLines(tricky);
		expect(once).toEqual(['a [x 9]']);
		expect(collapseRepeatedLines(once)).toEqual(once);
	});

	it('does not collapse inside code fences or across them', () => {
		const text = 'w\nw\n```\nw\nw\nw\n```\nw\nw';
		expect(compressText(text, 'safe').text).toBe(text);
	});

	it('keeps repeated JSON lines, whose strings a later pass would otherwise normalise as prose', () => {
		expect(compressText('{ "a": "x  y" }\n{"a":"x  y"}\n{\n  "a": "x  y"\n}', 'safe').text).toBe(
			'{"a":"x  y"}\n{"a":"x  y"}\n{"a":"x  y"}',
		);
	});
});
