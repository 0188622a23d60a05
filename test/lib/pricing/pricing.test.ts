import { costOf, listedPrice } from '../../../lib/pricing';

describe('pricing', () => {
	it('prices dated and vendor-prefixed model ids by their longest listed prefix', () => {
		expect(listedPrice('gpt-4o-2024-08-06')?.input).toBe(2.5);
		expect(listedPrice('gpt-4o-mini-2024-07-18')?.input).toBe(0.15);
		expect(listedPrice('openai/gpt-4o-mini')?.input).toBe(0.15);
		expect(listedPrice('claude-sonnet-4-20250514')?.output).toBe(15);
		expect(listedPrice('claude-sonnet-4-5-20250929')?.output).toBe(15);
		expect(listedPrice('o3-mini')?.input).toBe(1.1);
	});

	it('knows no price for unknown models and for look-alike ids', () => {
		expect(listedPrice('llama3.1:8b')).toBeUndefined();
		expect(listedPrice('gpt-4oxyz')).toBeUndefined();
	});

	it('charges cached input and cache writes at their own rates', () => {
		const price = { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 };
		const usage = { input: 1_000_000, cachedInput: 400_000, cacheWrite: 100_000, output: 200_000 };
		// 500k uncached x 3 + 400k x 0.3 + 100k x 3.75 + 200k x 15, per million
		expect(costOf(usage, price)).toBeCloseTo(1.5 + 0.12 + 0.375 + 3, 10);
		expect(costOf({ input: 1000, cachedInput: 1000, cacheWrite: 0, output: 0 }, { input: 2, output: 8 })).toBeCloseTo(0.002, 10);
	});
});
