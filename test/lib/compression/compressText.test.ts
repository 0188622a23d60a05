import { compressText, countTokens, measureCompression, type CompressionMode } from '../../../lib/compression';
import { seededRandom } from '../../helpers/random';
import { buildLog, flatRowsPayload, messyProse, mixedDocument, ordersPayload, proseWords, TIDY_PROSE } from './samples';

function savedShare(before: string, after: string): number {
	const { tokensBefore, tokensAfter } = measureCompression(before, after);
	return 1 - tokensAfter / tokensBefore;
}

describe('compressText', () => {
	it('returns the text unchanged in mode off', () => {
		const text = '  messy \r\n\n\n\n{ "a" : 1 }  ';
		expect(compressText(text, 'off')).toEqual({ text, changed: false, rulesApplied: [] });
	});

	it('refuses a non-string text and an unknown mode', () => {
		expect(() => compressText(undefined as unknown as string, 'safe')).toThrow(
			'Expected `text` to be a string, got undefined',
		);
		expect(() => compressText('x', 'fast' as CompressionMode)).toThrow(
			'Expected `mode` to be one of off, safe, aggressive, got fast',
		);
	});

	it('reports the rules that changed something, in the order they run', () => {
		const result = compressText('a  b\n{\n  "x": 1\n}\nw\nw\nw', 'safe');
		expect(result).toEqual({
			text: 'a b\n{"x":1}\nw [x 3]',
			changed: true,
			rulesApplied: ['normalizeWhitespace', 'minifyJson', 'collapseRepeatedLines'],
		});
		expect(compressText('', 'safe')).toEqual({ text: '', changed: false, rulesApplied: [] });
	});

	it('is idempotent on a varied generated corpus', () => {
		for (let seed = 1; seed <= 600; seed++) {
			const text = mixedDocument(seed);
			for (const mode of ['safe', 'aggressive'] as const) {
				const once = compressText(text, mode);
				const twice = compressText(once.text, mode);
				if (twice.text !== once.text) throw new Error(`Not idempotent (seed ${seed}, ${mode}): ${JSON.stringify(text)}`);
				expect(twice.changed).toBe(false);
				expect(twice.rulesApplied).toEqual([]);
				expect(once.changed).toBe(once.text !== text);
				expect(once.changed).toBe(once.rulesApplied.length > 0);
			}
		}
	});

	it('never changes a word or a digit of prose', () => {
		const random = seededRandom(11);
		for (let sample = 0; sample < 300; sample++) {
			const text = messyProse(random, 1 + Math.floor(random() * 30));
			const result = compressText(text, 'safe');
			expect(proseWords(result.text)).toEqual(proseWords(text.replace(/[\u200B\u2060\uFEFF]/g, '')));
			expect(compressText(text, 'aggressive').text).toBe(result.text);
		}
	});

	it('keeps fenced code intact inside generated documents', () => {
		const code = '```sh\r\necho  "a   b"   \n\n\n\necho  "a   b"\necho  "a   b"\necho  "a   b"\t\n```';
		for (let seed = 1; seed <= 100; seed++) {
			const around = (offset: number) => mixedDocument(seed + offset).replace(/```|~~~/g, '');
			const text = `${around(0)}\n${code}\n${around(1000)}`;
			expect(compressText(text, 'aggressive').text).toContain(code);
		}
	});

	it('saves at least 35% of the tokens of a pretty-printed JSON payload', () => {
		const payload = ordersPayload(40);
		const result = compressText(payload, 'safe');
		expect(JSON.parse(result.text)).toEqual(JSON.parse(payload));
		expect(savedShare(payload, result.text)).toBeGreaterThanOrEqual(0.35);
	});

	it('saves more on flat rows in aggressive mode than in safe mode', () => {
		const payload = flatRowsPayload(50);
		const safe = savedShare(payload, compressText(payload, 'safe').text);
		const aggressive = savedShare(payload, compressText(payload, 'aggressive').text);
		expect(aggressive).toBeGreaterThan(safe);
	});

	it('saves tokens on logs with repeated warnings', () => {
		const log = buildLog();
		const result = compressText(log, 'safe');
		expect(result.text).toContain('WARN [bundler] Circular dependency: src/a.ts -> src/b.ts -> src/a.ts [x 25]');
		expect(savedShare(log, result.text)).toBeGreaterThan(0.5);
	});

	it('leaves tidy prose exactly as it is', () => {
		const result = compressText(TIDY_PROSE, 'aggressive');
		expect(result).toEqual({ text: TIDY_PROSE, changed: false, rulesApplied: [] });
		expect(countTokens(result.text)).toBe(countTokens(TIDY_PROSE));
	});
});
