import { batchCostOf, batchRates, costOf, listedPrice } from '../../../lib/pricing';

describe('pricing', () => {
	it('prices dated snapshots and vendor-prefixed ids as their listed model', () => {
		expect(listedPrice('gpt-4o-2024-08-06')?.input).toBe(2.5);
		expect(listedPrice('gpt-4o-mini-2024-07-18')?.input).toBe(0.15);
		expect(listedPrice('gpt-4.1-mini-2025-04-14')?.input).toBe(0.4);
		expect(listedPrice('openai/gpt-4o-mini')?.input).toBe(0.15);
		expect(listedPrice('claude-haiku-4-5-20251001')?.output).toBe(5);
		expect(listedPrice('anthropic/claude-opus-5-5')?.output).toBe(20);
		expect(listedPrice('  GPT-6.2-Sol ')?.input).toBe(2);
	});

	it('keeps neighbouring versions apart', () => {
		expect(listedPrice('claude-opus-5')?.input).toBe(5);
		expect(listedPrice('claude-opus-5-5')?.input).toBe(4);
		expect(listedPrice('claude-sonnet-5-5-20261007')?.cachedInput).toBe(0.1);
		expect(listedPrice('claude-sonnet-5')?.cachedInput).toBe(0.2);
		expect(listedPrice('gpt-4o-mini')?.input).toBe(0.15);
		expect(listedPrice('gpt-4o')?.input).toBe(2.5);
	});

	it('knows no price for unknown models, unlisted variants and look-alike ids', () => {
		expect(listedPrice('llama3.1:8b')).toBeUndefined();
		expect(listedPrice('gpt-4oxyz')).toBeUndefined();
		// A variant is often priced differently from its base model (a "pro" tier costs several times more).
		expect(listedPrice('gpt-6.2-sol-pro')).toBeUndefined();
		expect(listedPrice('gpt-4o-audio-preview')).toBeUndefined();
		expect(listedPrice('claude-sonnet-4-5-20250929')).toBeUndefined();
		expect(listedPrice('gpt-4o-2024')).toBeUndefined();
	});

	it('charges cached input and cache writes at their own rates', () => {
		const price = { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 };
		const usage = { input: 1_000_000, cachedInput: 400_000, cacheWrite: 100_000, output: 200_000 };
		// 500k uncached x 3 + 400k x 0.3 + 100k x 3.75 + 200k x 15, per million
		expect(costOf(usage, price)).toBeCloseTo(1.5 + 0.12 + 0.375 + 3, 10);
		expect(costOf({ input: 1000, cachedInput: 1000, cacheWrite: 0, output: 0 }, { input: 2, output: 8 })).toBeCloseTo(0.002, 10);
	});

	it('uses the listed cached-input and cache-write rates of a table model', () => {
		const opus = listedPrice('claude-opus-5-5')!;
		const usage = { input: 100_000, cachedInput: 60_000, cacheWrite: 20_000, output: 10_000 };
		// 20k x 4 + 60k x 0.20 + 20k x 5 + 10k x 20, per million
		expect(costOf(usage, opus)).toBeCloseTo((80_000 + 12_000 + 100_000 + 200_000) / 1_000_000, 12);
	});

	it('prices the whole request at the long-context tier once the prompt passes its threshold', () => {
		const haiku = listedPrice('claude-haiku-5-5')!;
		const short = { input: 100_000, cachedInput: 0, cacheWrite: 0, output: 1_000 };
		const long = { input: 100_001, cachedInput: 50_000, cacheWrite: 0, output: 1_000 };
		expect(costOf(short, haiku)).toBeCloseTo((100_000 * 0.1 + 1_000 * 0.5) / 1_000_000, 12);
		expect(costOf(long, haiku)).toBeCloseTo((50_001 * 0.5 + 50_000 * 0.05 + 1_000 * 2.5) / 1_000_000, 12);
		const sol = listedPrice('gpt-6.2-sol')!;
		const overOpenAi = { input: 300_000, cachedInput: 0, cacheWrite: 0, output: 1_000 };
		expect(costOf(overOpenAi, sol)).toBeCloseTo((300_000 * 4 + 1_000 * 15) / 1_000_000, 12);
	});

	it('exposes batch prices, discounting cache rates like input, and null where none is known', () => {
		const terra = listedPrice('gpt-6.1-terra')!;
		expect(batchRates(terra)).toEqual({ input: 0.5, output: 2.5, cachedInput: 0.025, cacheWrite: 0.625 });
		const usage = { input: 200_000, cachedInput: 40_000, cacheWrite: 0, output: 100_000 };
		// 160k x 0.5 + 40k x 0.025 + 100k x 2.5, per million; half the standard cost
		expect(batchCostOf(usage, terra)).toBeCloseTo(0.08 + 0.001 + 0.25, 12);
		expect(batchCostOf(usage, terra)).toBeCloseTo(costOf(usage, terra) / 2, 12);
		const haiku = listedPrice('claude-haiku-5-5')!;
		const long = { input: 200_000, cachedInput: 0, cacheWrite: 0, output: 10_000 };
		expect(batchCostOf(long, haiku)).toBeCloseTo((200_000 * 0.25 + 10_000 * 1.25) / 1_000_000, 12);
		expect(batchCostOf(usage, { input: 1, output: 2 })).toBeNull();
		expect(batchRates({ input: 0, output: 0, batchInput: 0, batchOutput: 0 })).toEqual({ input: 0, output: 0, cachedInput: 0, cacheWrite: 0 });
	});
});
