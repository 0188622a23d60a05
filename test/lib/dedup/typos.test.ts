import { isInnerTypo, mayBeTypo } from '../../../lib/dedup/typos';

describe('typo tolerance rules', () => {
	it('takes only long, plain lower-case words that do not flip a meaning', () => {
		expect(mayBeTypo('delivery')).toBe(true);
		expect(mayBeTypo('quarterly')).toBe(true);
		expect(mayBeTypo('review')).toBe(false);
		expect(mayBeTypo('userName')).toBe(false);
		expect(mayBeTypo('database1')).toBe(false);
		expect(mayBeTypo('e-commerce')).toBe(false);
		expect(mayBeTypo('impossible')).toBe(false);
		expect(mayBeTypo('disabling')).toBe(false);
		expect(mayBeTypo('thousand')).toBe(false);
	});

	it('accepts one substitution, insertion, deletion or neighbour swap inside the word', () => {
		expect(isInnerTypo('delivery', 'delivrey')).toBe(true);
		expect(isInnerTypo('quarterly', 'quartely')).toBe(true);
		expect(isInnerTypo('success', 'sucess')).toBe(true);
		expect(isInnerTypo('separate', 'seperate')).toBe(true);
		expect(isInnerTypo('receive', 'recieve')).toBe(true);
	});

	it('refuses edits at the first or last letter, two edits, and equal words', () => {
		expect(isInnerTypo('documents', 'document')).toBe(false);
		expect(isInnerTypo('dominican', 'dominica')).toBe(false);
		expect(isInnerTypo('asymmetric', 'symmetric')).toBe(false);
		expect(isInnerTypo('katherine', 'catherine')).toBe(false);
		expect(isInnerTypo('discrete', 'discreet')).toBe(false);
		expect(isInnerTypo('slovenia', 'slovakia')).toBe(false);
		expect(isInnerTypo('australia', 'austria')).toBe(false);
		expect(isInnerTypo('informal', 'formal')).toBe(false);
		expect(isInnerTypo('delivery', 'delivery')).toBe(false);
	});

	it('merges real words one inner letter apart: the documented limit of typo tolerance', () => {
		expect(isInnerTypo('colombia', 'columbia')).toBe(true);
		expect(isInnerTypo('complement', 'compliment')).toBe(true);
		expect(isInnerTypo('stationary', 'stationery')).toBe(true);
		expect(isInnerTypo('prostate', 'prostrate')).toBe(true);
		expect(isInnerTypo('nigerian', 'nigerien')).toBe(true);
	});
});
