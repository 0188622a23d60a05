import { compressText } from '../../../lib/compression';
import { tabulateJsonArray } from '../../../lib/compression/rules/tabulateJsonArray';

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

describe('JSON arrays as tables (aggressive)', () => {
	it('writes a header of all keys in first-seen order and one row per element', () => {
		const rows = [
			{ id: 1, name: 'Ann', vip: true },
			{ id: 2, name: 'Bob', note: 'late' },
		];
		const result = compressText(pretty(rows), 'aggressive');
		expect(result.text).toBe('```tsv\nid\tname\tvip\tnote\n1\tAnn\ttrue\t\n2\tBob\t\tlate\n```');
		expect(result.rulesApplied).toEqual(['tabulateJsonArrays']);
	});

	it('keeps numbers as written and leaves null and missing cells empty', () => {
		const json = [
			'[',
			'  {"price": 1.0, "qty": 1e3, "big": 12345678901234567890, "gone": null},',
			'  {"price": -0, "qty": 0.10}',
			']',
		].join('\n');
		expect(compressText(json, 'aggressive').text).toBe(
			'```tsv\nprice\tqty\tbig\tgone\n1.0\t1e3\t12345678901234567890\t\n-0\t0.10\t\t\n```',
		);
	});

	it('quotes strings that would be ambiguous or break the table', () => {
		const table = tabulateJsonArray(
			JSON.stringify([
				{ a: '', b: ' padded ', c: 'tab\there', d: 'two\nlines', e: '"quoted"', f: '```', g: 'plain text' },
				{ a: 'x', b: 'y', c: 'z', d: 'w', e: 'v', f: 'u', g: 't' },
			]),
		);
		expect(table?.split('\n')[2]).toBe('""\t" padded "\t"tab\\there"\t"two\\nlines"\t"\\"quoted\\""\t"```"\tplain text');
	});

	it('turns embedded arrays into tables in place', () => {
		const text = `Rows:\n${pretty([{ k: 'a' }, { k: 'b' }, { k: 'c' }])}\nThanks.`;
		expect(compressText(text, 'aggressive').text).toBe('Rows:\n```tsv\nk\na\nb\nc\n```\nThanks.');
	});

	it('keeps other shapes as minified JSON', () => {
		const cases = [
			[{ only: 'one' }],
			[{ nested: [1] }, { nested: [2] }],
			[{ a: 1 }, 2],
			{ rows: [{ a: 1 }, { a: 2 }] },
			[{}, {}],
		];
		for (const value of cases) {
			expect(compressText(pretty(value), 'aggressive').text).toBe(JSON.stringify(value));
		}
	});

	it('is not applied in safe mode', () => {
		expect(compressText(pretty([{ a: 1 }, { a: 2 }]), 'safe').text).toBe('[{"a":1},{"a":2}]');
	});

	it('is idempotent: the table sits in a fence that later passes leave alone', () => {
		const once = compressText(pretty([{ a: 'x  y', b: 1 }, { a: '``` ', b: 2 }]), 'aggressive').text;
		expect(compressText(once, 'aggressive').text).toBe(once);
		expect(compressText(once, 'safe').text).toBe(once);
	});
});
