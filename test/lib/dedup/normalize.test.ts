import { normalizeForSimilarity, normalizedWords } from '../../../lib/dedup/normalize';

describe('normalizeForSimilarity', () => {
	it('collapses whitespace and line breaks and trims', () => {
		expect(normalizeForSimilarity('  turn   on\tthe\r\n\nlights  ')).toBe('turn on the lights');
		expect(normalizeForSimilarity('a\u00a0b\u2028c')).toBe('a b c');
	});

	it('drops invisible characters and folds typographic quotes, not the quotes themselves', () => {
		expect(normalizeForSimilarity('zero\u200Bwidth soft\u00ADhyphen \uFEFFbom')).toBe('zerowidth softhyphen bom');
		expect(normalizeForSimilarity('Don’t say “hi” or ‘bye’')).toBe(`don't say "hi" or 'bye'`);
		expect(normalizeForSimilarity("say 'hi'")).not.toBe(normalizeForSimilarity('say hi'));
		expect(normalizeForSimilarity('run `ls`')).not.toBe(normalizeForSimilarity("run 'ls'"));
	});

	it('folds case where it is formatting and keeps it where it is meaning', () => {
		expect(normalizeForSimilarity('Summarise The Report For France')).toBe('summarise the report for france');
		expect(normalizeForSimilarity('TURN ON THE LIGHTS')).toBe('turn on the lights');
		expect(normalizeForSimilarity('Convert 15 USD to EUR')).toBe('convert 15 USD to EUR');
		expect(normalizeForSimilarity('10 MB or 10 Mb, 5 MW or 5 mW')).toBe('10 MB or 10 Mb 5 MW or 5 mW');
		expect(normalizeForSimilarity('5 MW')).not.toBe(normalizeForSimilarity('5 mw'));
		expect(normalizeForSimilarity('rename userName')).toBe('rename userName');
		// Short capitalised words are folded only at the start of a sentence.
		expect(normalizeForSimilarity('It works. Is it set to X?')).toBe('it works is it set to X?');
	});

	it('strips trailing sentence punctuation of plain words only', () => {
		expect(normalizeForSimilarity('Hello, world. Note: pay 1,000 e.g. 3.5…')).toBe('hello world note pay 1,000 e.g 3.5');
		expect(normalizeForSimilarity('Explain [1, 2] and [1; 2]')).toBe('explain [1, 2] and [1; 2]');
		expect(normalizeForSimilarity('Explain print(a, b)')).not.toBe(normalizeForSimilarity('Explain print(a; b)'));
		expect(normalizeForSimilarity('cd .. then cd .')).toBe('cd .. then cd .');
		expect(normalizeForSimilarity('a , b')).toBe('a , b');
	});

	it('keeps operators, signs, brackets, digits and marks that change meaning', () => {
		const kept = '!= <> ! <= >= = < > + - * / % && || ^ ~ $ # @ ? ( ) [ ] { } ² .env ...args −5 ＋';
		expect(normalizeForSimilarity(kept)).toBe(kept);
		expect(normalizeForSimilarity('x²')).not.toBe(normalizeForSimilarity('x2'));
		expect(normalizeForSimilarity('Is it safe?')).not.toBe(normalizeForSimilarity('Is it safe'));
		expect(normalizeForSimilarity('Great!')).not.toBe(normalizeForSimilarity('Great.'));
	});

	it('gives the words in order, and the empty string for blank text; refuses non-strings', () => {
		expect(normalizedWords(' A  b. ')).toEqual(['a', 'b']);
		expect(normalizeForSimilarity('')).toBe('');
		expect(normalizeForSimilarity(' \n\t ')).toBe('');
		expect(() => normalizeForSimilarity(42 as unknown as string)).toThrow('Expected `text` to be a string');
	});

	it('stays linear on adversarial input: a megabyte of one mark, one letter, CJK or base64', () => {
		// A trailing-punctuation regular expression would backtrack quadratically on these; a jest timeout would
		// catch a return of that (minutes at this size), no timing is asserted.
		const megabyte = 1 << 20;
		expect(normalizeForSimilarity(`${'.'.repeat(megabyte)}x`)).toHaveLength(megabyte + 1);
		expect(normalizeForSimilarity(`x${'.'.repeat(megabyte)}`)).toBe('x');
		expect(normalizeForSimilarity(`(${'.'.repeat(megabyte)}`)).toHaveLength(megabyte + 1);
		expect(normalizeForSimilarity('A'.repeat(megabyte))).toBe('a'.repeat(megabyte));
		expect(normalizeForSimilarity('漢'.repeat(megabyte))).toHaveLength(megabyte);
		const base64 = Buffer.alloc(megabyte, 7).toString('base64');
		expect(normalizeForSimilarity(base64)).toBe(base64);
		expect(normalizedWords('a. '.repeat(megabyte / 4))).toHaveLength(megabyte / 4);
	});
});

describe('normalizeForSimilarity on text in capitals', () => {
	it('folds text all in capitals, the labels that start its lines aside, and nothing else', () => {
		expect(normalizeForSimilarity('user: SUMMARISE THE REPORT\nassistant: OK\nuser: IN USD')).toBe(
			'user summarise the report assistant ok user in usd',
		);
		expect(normalizeForSimilarity('SUMMARISE THE REPORT\nin 15 USD')).toBe('SUMMARISE THE REPORT in 15 USD');
		expect(normalizeForSimilarity('user: 5 MW')).toBe('user 5 MW');
		expect(normalizeForSimilarity('mW: SET IT')).not.toBe(normalizeForSimilarity('MW: SET IT'));
	});
});
