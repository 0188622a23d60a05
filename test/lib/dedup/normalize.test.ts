import { normalizeForSimilarity } from '../../../lib/dedup/normalize';

describe('normalizeForSimilarity', () => {
	it('lower-cases, collapses whitespace and trims', () => {
		expect(normalizeForSimilarity('  Turn   ON\tthe\n\nLights  ')).toBe('turn on the lights');
	});

	it('folds compatibility forms with NFKC and drops invisible characters', () => {
		expect(normalizeForSimilarity('Ｐｒｉｃｅ １５ ﬁle')).toBe('price 15 file');
		expect(normalizeForSimilarity('zero\u200Bwidth soft\u00ADhyphen \uFEFFbom')).toBe('zerowidth softhyphen bom');
	});

	it('writes every apostrophe and the minus sign one way', () => {
		expect(normalizeForSimilarity('Don’t')).toBe("don't");
		expect(normalizeForSimilarity('Donʼt')).toBe("don't");
		expect(normalizeForSimilarity('−5 °C')).toBe('-5 °c');
	});

	it('strips trivial punctuation at word edges only', () => {
		expect(normalizeForSimilarity('Hello, "world"! (see [notes]).')).toBe('hello world see notes');
		expect(normalizeForSimilarity('1,000 e.g. 3.5.')).toBe('1,000 e.g 3.5');
		expect(normalizeForSimilarity('a , b ... c')).toBe('a b c');
	});

	it('keeps question marks and the marks the guards count', () => {
		expect(normalizeForSimilarity('Is it safe?')).toBe('is it safe?');
		expect(normalizeForSimilarity('-5 +5 15% $15 a/b')).toBe('-5 +5 15% $15 a/b');
	});

	it('turns empty and blank text into the empty string and refuses non-strings', () => {
		expect(normalizeForSimilarity('')).toBe('');
		expect(normalizeForSimilarity(' \n\t ')).toBe('');
		expect(() => normalizeForSimilarity(42 as unknown as string)).toThrow('Expected `text` to be a string');
	});
});
