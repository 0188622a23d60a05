import { compressText } from '../../../lib/compression';

const MODES = ['safe', 'aggressive'] as const;

describe('fenced code blocks', () => {
	it('keeps code byte for byte: spaces, tabs, blank lines, CRLF, repeated lines', () => {
		const code = '```py\r\ndef  f():   \r\n\treturn  1\t\r\n\r\n\r\n\r\nprint(1)\r\nprint(1)\r\nprint(1)\r\n```';
		for (const mode of MODES) {
			const result = compressText(`Run   this:\r\n\r\n\r\n${code}\r\nthen   stop.`, mode);
			expect(result.text).toBe(`Run this:\n\n${code}\nthen stop.`);
		}
	});

	it('supports tilde fences, longer closing fences and keeps an unclosed fence to the end', () => {
		const tilde = '~~~\n```\n  not   closed by backticks  \n~~~~';
		expect(compressText(`a  b\n${tilde}\nc  d`, 'safe').text).toBe(`a b\n${tilde}\nc d`);
		const unclosed = '```\nx  =  1   \n\n\n\n';
		expect(compressText(`intro  \n${unclosed}`, 'safe').text).toBe(`intro\n${unclosed}`);
	});

	it('recognises a fence hidden behind a zero-width character on the first pass', () => {
		const text = '\u200B```\ncode   with   spaces\n```';
		expect(compressText(text, 'safe').text).toBe(text);
	});

	it('treats 4 spaces of indentation and backticks in the info string as prose, as CommonMark does', () => {
		expect(compressText('    ```\na  b', 'safe').text).toBe('    ```\na b');
		expect(compressText('``` a`b\nc  d', 'safe').text).toBe('``` a`b\nc d');
	});

	it('minifies a json fence whose content parses, and keeps the fence lines', () => {
		const result = compressText('```json\n{\n  "price": 1.50,\n  "qty": 1e3\n}\n```', 'safe');
		expect(result.text).toBe('```json\n{"price":1.50,"qty":1e3}\n```');
		expect(result.rulesApplied).toEqual(['minifyJson']);
		expect(compressText('```JSON\r\n[ 1 , 2 ]\r\n```', 'safe').text).toBe('```JSON\r\n[1,2]\r\n```');
	});

	it('leaves a json fence alone when its content does not parse or it is not closed', () => {
		for (const text of ['```json\n{ "a": 1, }\n```', '```json\n// comment\n{ "a": 1 }\n```', '```json\n{ "a": 1 }\n']) {
			expect(compressText(text, 'safe').text).toBe(text);
		}
	});

	it('never turns a json fence into a table', () => {
		const text = '```json\n[\n  {"a": 1},\n  {"a": 2}\n]\n```';
		expect(compressText(text, 'aggressive').text).toBe('```json\n[{"a":1},{"a":2}]\n```');
	});
});
