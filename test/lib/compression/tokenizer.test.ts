import { countTokens, measureCompression } from '../../../lib/compression';

describe('countTokens (o200k_base)', () => {
	it('counts known strings', () => {
		expect(countTokens('hello world')).toBe(2);
		expect(countTokens('')).toBe(0);
		expect(countTokens('The quick brown fox jumps over the lazy dog.')).toBe(10);
	});

	it('counts special-token text as plain text instead of throwing', () => {
		expect(countTokens('a <|endoftext|> b')).toBeGreaterThan(3);
	});

	it('refuses what is not a string', () => {
		expect(() => countTokens(42 as unknown as string)).toThrow('Expected `text` to be a string, got number');
	});

	it('measures a before and after pair', () => {
		expect(measureCompression('hello   world', 'hello world')).toEqual({ tokensBefore: 3, tokensAfter: 2 });
		expect(measureCompression('same', 'same')).toEqual({ tokensBefore: 1, tokensAfter: 1 });
	});
});
