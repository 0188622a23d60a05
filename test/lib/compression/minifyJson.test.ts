import { compressText } from '../../../lib/compression';
import { minifyJson, stripJsonWhitespace } from '../../../lib/compression/json/minifyJson';

const safe = (text: string) => compressText(text, 'safe');

describe('JSON minification (safe)', () => {
	it('minifies a whole-text object or array and keeps key order', () => {
		const result = safe('{\n  "b": 1,\n  "a": [\n    true,\n    null\n  ]\n}');
		expect(result.text).toBe('{"b":1,"a":[true,null]}');
		expect(result.rulesApplied).toEqual(['minifyJson']);
		expect(safe('[\n  1,\n\n  2\n]').text).toBe('[1,2]');
	});

	it('keeps every number exactly as written', () => {
		const numbers = ['1.0', '1e3', '1E-7', '-0', '0.10', '12345678901234567890', '6.02214076e+23'];
		const result = safe(`{\n  "numbers": [\n    ${numbers.join(',\n    ')}\n  ]\n}`);
		expect(result.text).toBe(`{"numbers":[${numbers.join(',')}]}`);
	});

	it('never touches whitespace inside strings', () => {
		const json = '{\n  "text": "two  spaces, a\u00A0no-break space, an escaped\\ttab, \u200Bzero width"\n}';
		expect(safe(json).text).toBe('{"text":"two  spaces, a\u00A0no-break space, an escaped\\ttab, \u200Bzero width"}');
		expect(stripJsonWhitespace('{ "a" : "b \\" c" }')).toBe('{"a":"b \\" c"}');
	});

	it('minifies standalone JSON blocks inside prose and keeps their indentation', () => {
		const text = 'Order:\n{\n  "id": 7,\n  "total": 12.50\n}\nList:\n  [\n    "a",\n    "b"\n  ]\nEnd.';
		expect(safe(text).text).toBe('Order:\n{"id":7,"total":12.50}\nList:\n  ["a","b"]\nEnd.');
	});

	it('leaves JSON-looking text alone when it does not parse or does not stand alone', () => {
		for (const text of ['{"broken": [1, 2,]}', '{ "a": 1 } is an object', 'see [the docs]', '{\n  "unclosed": 1']) {
			expect(safe(text).rulesApplied).not.toContain('minifyJson');
		}
		expect(safe('{ "a": 1 }  is  an object').text).toBe('{ "a": 1 } is an object');
	});

	it('minifies the inner block when the outer one is broken', () => {
		const text = '{\n  "outer": oops,\n  "inner":\n  {\n    "k": 1\n  }\n}';
		expect(safe(text).text).toBe('{\n  "outer": oops,\n  "inner":\n  {"k":1}\n}');
	});

	it('minifies a block that only parses once whitespace is normalised, as the next pass would', () => {
		const result = safe('{"tab": "raw\there",\u00A0"n": 1}');
		expect(result.text).toBe('{"tab":"raw here","n":1}');
		expect(safe(result.text).text).toBe(result.text);
	});

	it('accepts only objects and arrays', () => {
		expect(minifyJson('"just a string"')).toBeUndefined();
		expect(minifyJson(' 42 ')).toBeUndefined();
		expect(minifyJson(' { } ')).toBe('{}');
	});
});
