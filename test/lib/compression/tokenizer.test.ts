import { countTokens, measureCompression, measureTokens, measureTokensYielding, MAX_EXACT_CHARS, MAX_EXACT_RUN } from '../../../lib/compression';
import { WorkSlicer } from '../../../lib/shared/yieldToEventLoop';

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

describe('token counts that never hold the event loop', () => {
	// The tokenizer without our chunking and estimation: the reference for exact counts.
	const reference = require('gpt-tokenizer/cjs/encoding/o200k_base') as typeof import('gpt-tokenizer/cjs/encoding/o200k_base');
	const exact = (text: string) => reference.countTokens(text, { disallowedSpecial: new Set<string>() });
	const prose =
		'The committee reviewed the quarterly report in detail, and asked whether the figures for March (12.5% up) ' +
		"were final. They weren't: the auditors' note said 3 of 17 invoices were still open.\n";
	const mixed = [
		prose.repeat(40),
		JSON.stringify(Array.from({ length: 150 }, (_, index) => ({ id: index, name: `user-${index}`, ok: index % 2 === 0 }))),
		'这是一个测试。我们检查分块计数是否与整体计数完全相同，包括标点符号、数字１２３和英文word混合的情况。'.repeat(60),
		'Привет, мир! Это проверка: счёт по частям равен общему счёту.\n'.repeat(40),
	].join('\n');

	it('counts a long normal text exactly, chunk by chunk, with the same result as the tokenizer on the whole', async () => {
		expect(mixed.length).toBeGreaterThan(4 * 4096);
		expect(measureTokens(mixed)).toEqual({ tokens: exact(mixed), estimated: false });
		await expect(measureTokensYielding(mixed)).resolves.toEqual({ tokens: exact(mixed), estimated: false });
		expect(countTokens(prose)).toBe(exact(prose));
	});

	it('estimates 1 MB without spaces in linear time and says so', () => {
		const started = Date.now();
		const count = measureTokens('A'.repeat(1_000_000));
		expect(count.estimated).toBe(true);
		expect(count.tokens).toBeGreaterThan(1_000_000 / 16);
		expect(count.tokens).toBeLessThan(1_000_000);
		// The exact tokenizer takes about 390 s here.
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it.each([
		['a run of spaces', ' '.repeat(100_000)],
		['CJK without punctuation', Array.from({ length: 20_000 }, (_, index) => String.fromCharCode(0x4e00 + ((index * 7919) % 20_000))).join('')],
		['a run of punctuation', '=-'.repeat(50_000)],
		['emoji', '😀'.repeat(50_000)],
	])('estimates %s instead of counting it in quadratic time', (_name, text) => {
		const count = measureTokens(text);
		expect(count.estimated).toBe(true);
		expect(count.tokens).toBeGreaterThan(0);
	});

	it(`estimates any text longer than ${MAX_EXACT_CHARS} characters, close to the exact count for prose`, () => {
		const long = prose.repeat(Math.ceil((MAX_EXACT_CHARS + 1) / prose.length));
		const count = measureTokens(long);
		expect(count.estimated).toBe(true);
		const error = Math.abs(count.tokens / exact(long) - 1);
		expect(error).toBeLessThan(0.25);
	});

	it('keeps a run just under the limit exact', () => {
		const text = `${'x'.repeat(MAX_EXACT_RUN)} tail`;
		expect(measureTokens(text)).toEqual({ tokens: exact(text), estimated: false });
	});

	it('gives timers a turn while it counts a long text', async () => {
		let turns = 0;
		const probe = setInterval(() => turns++, 0);
		const text = prose.repeat(Math.floor(MAX_EXACT_CHARS / prose.length));
		const count = await measureTokensYielding(text, new WorkSlicer(0));
		clearInterval(probe);
		expect(count).toEqual({ tokens: exact(text), estimated: false });
		expect(turns).toBeGreaterThan(0);
	});
});
