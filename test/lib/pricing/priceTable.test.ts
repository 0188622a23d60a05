import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRICE_TABLE_AS_OF, PRICES, type PriceRates } from '../../../lib/pricing';
import { aiCallOptimization } from '../../../nodes/shared/ai/optimizationOptions';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const entries = Object.entries(PRICES);

function expectRates(rates: PriceRates): void {
	for (const field of ['input', 'output', 'batchInput', 'batchOutput'] as const) {
		expect(typeof rates[field]).toBe('number');
		expect(rates[field]).toBeGreaterThan(0);
	}
	for (const field of ['cachedInput', 'cacheWrite'] as const) {
		if (rates[field] !== undefined) expect(rates[field]).toBeGreaterThan(0);
	}
	// A discount is never dearer than the standard rate.
	expect(rates.batchInput!).toBeLessThanOrEqual(rates.input);
	expect(rates.batchOutput!).toBeLessThanOrEqual(rates.output);
	expect(rates.cachedInput ?? rates.input).toBeLessThanOrEqual(rates.input);
}

describe('built-in price table', () => {
	it('loads from its data file with a date', () => {
		const file = JSON.parse(readFileSync(join(__dirname, '../../../lib/pricing/prices.json'), 'utf8')) as { asOf: string; models: object };
		expect(PRICE_TABLE_AS_OF).toBe(file.asOf);
		expect(PRICE_TABLE_AS_OF).toMatch(ISO_DATE);
		expect(Object.keys(PRICES)).toEqual(Object.keys(file.models));
		expect(entries.length).toBeGreaterThanOrEqual(10);
		expect(entries.some(([, price]) => price.provider === 'openai')).toBe(true);
		expect(entries.some(([, price]) => price.provider === 'anthropic')).toBe(true);
	});

	it.each(entries)('%s has a provider source, a date no later than the table, and complete rates', (model, price) => {
		expect(model).toBe(model.toLowerCase());
		expect(price.source).toMatch(/^https:\/\/(developers\.openai\.com|platform\.claude\.com)\//);
		expect(price.checked).toMatch(ISO_DATE);
		expect(price.checked <= PRICE_TABLE_AS_OF).toBe(true);
		expectRates(price);
		if (price.longContext) {
			expect(price.longContext.aboveInputTokens).toBeGreaterThan(0);
			expectRates(price.longContext);
			expect(price.longContext.input).toBeGreaterThanOrEqual(price.input);
		}
	});

	it('shows its date where users override prices', () => {
		const override = (aiCallOptimization.options as Array<{ name: string; description?: string }>).find((option) => option.name === 'priceOverride');
		expect(override?.description).toContain(PRICE_TABLE_AS_OF);
	});
});
