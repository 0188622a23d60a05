import { guardSignature } from '../../../lib/dedup/guards';
import { NUMBER_WORDS, POLARITY_WORDS } from '../../../lib/dedup/lexicon';

describe('guardSignature', () => {
	it('keeps every number in order, as written', () => {
		expect(guardSignature('Refund 15 USD, then 150 USD')).toBe('refund 15 150\u0002USD USD');
		expect(guardSignature('pay 1,000 or 1000 at 3.5 and 3,5')).toBe('pay 1,000 or 1000 3.5 and 3,5');
		expect(guardSignature('gpt4 v2 2024-01-05 10:30')).toBe('4 2 2024 - 01 - 05 10 30');
	});

	it('gives a number its sign only where the sign stands before it', () => {
		expect(guardSignature('set it to -5')).toBe('set -5');
		expect(guardSignature('set it to −5')).toBe('set -5');
		expect(guardSignature('set it to +5')).toBe('set +5');
		expect(guardSignature('pages 10-15')).toBe('10 - 15');
	});

	it('counts number words, operators and currency symbols in the sequence', () => {
		expect(guardSignature('refund fifteen dollars')).toBe('refund fifteen');
		expect(guardSignature('is x < 5 or x > 5')).toBe('< 5 or > 5');
		expect(guardSignature('send $15')).toBe('send $ 15');
		expect(guardSignature('send €15')).toBe('send € 15');
		expect(guardSignature('a 15% discount')).toBe('15 %');
	});

	it('keeps polarity words in text order', () => {
		expect(guardSignature('turn on dark mode')).toBe('on dark');
		expect(guardSignature('enable A and disable B')).toBe('enable and disable');
		expect(guardSignature('disable A and enable B')).toBe('disable and enable');
	});

	it('finds negations, including any "n\'t" contraction and every apostrophe form', () => {
		expect(guardSignature('is it not safe')).toBe('not safe');
		expect(guardSignature("Don't delete the file")).toBe('dont delete');
		expect(guardSignature('Don’t delete the file')).toBe('dont delete');
		expect(guardSignature('Dont delete the file')).toBe('dont delete');
		expect(guardSignature("you mightn't need it")).toBe('mightnt');
		expect(guardSignature('nothing, nobody, never, without exception')).toBe('nothing nobody never without');
		expect(guardSignature('das ist nicht sicher')).toBe('nicht');
	});

	it('finds inflected forms of verbs with opposites', () => {
		expect(guardSignature('disabling notifications')).toBe('disabling');
		expect(guardSignature('it was stopped, then it stops')).toBe('stopped stops');
		expect(guardSignature('the item was sold')).toBe('sold');
		expect(guardSignature('access denied')).toBe('denied');
	});

	it('is empty for text without numbers, symbols or polarity words', () => {
		expect(guardSignature('Summarise this review')).toBe('');
		expect(guardSignature('')).toBe('');
	});

	it('tells the reference pairs apart', () => {
		const pairs: Array<[string, string]> = [
			['turn on dark mode', 'turn off dark mode'],
			['refund 15 USD', 'refund 150 USD'],
			['is it safe', 'is it not safe'],
			["Don't delete the file", 'Delete the file'],
			['enable notifications', 'disable notifications'],
			['price 3.5', 'price 3.6'],
			['convert -5 degrees', 'convert 5 degrees'],
			['refund fifteen USD', 'refund fifty USD'],
		];
		for (const [a, b] of pairs) expect(guardSignature(a)).not.toBe(guardSignature(b));
	});

	it('has lower-case, apostrophe-free lexicon entries', () => {
		for (const word of [...POLARITY_WORDS, ...NUMBER_WORDS]) expect(word).toMatch(/^[\p{Ll}]+$/u);
	});
});

describe('capital codes in the guard signature', () => {
	it('keeps currency and unit codes written in capitals apart, in order', () => {
		const long = 'Please convert the following invoice amounts and explain each step of the calculation carefully. ';
		expect(guardSignature(`${long}Amount: 15 USD`)).not.toBe(guardSignature(`${long}Amount: 15 EUR`));
		expect(guardSignature('convert USD to EUR')).not.toBe(guardSignature('convert EUR to USD'));
		expect(guardSignature('convert USD to EUR')).toBe(guardSignature('Convert USD to EUR.'));
	});

	it('ignores capitalised ordinary words and single capitals', () => {
		expect(guardSignature('Hello World, I am here')).toBe(guardSignature('hello world, i am here'));
	});
});
