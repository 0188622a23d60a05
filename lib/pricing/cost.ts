import type { ChatUsage } from '../providers';
import type { ModelPrice, PriceRates } from './priceTable';

/** The rates that apply to one call: a long-context tier replaces the base rates for the whole request. */
function ratesFor(usage: ChatUsage, price: ModelPrice): PriceRates {
	const tier = price.longContext;
	return tier && usage.input > tier.aboveInputTokens ? tier : price;
}

function costAt(usage: ChatUsage, rates: Required<Pick<PriceRates, 'input' | 'output'>> & PriceRates): number {
	const uncachedInput = Math.max(0, usage.input - usage.cachedInput - usage.cacheWrite);
	const perMillion =
		uncachedInput * rates.input +
		usage.cachedInput * (rates.cachedInput ?? rates.input) +
		usage.cacheWrite * (rates.cacheWrite ?? rates.input) +
		usage.output * rates.output;
	return perMillion / 1_000_000;
}

/** Cost in USD of one call's usage at a price; fractions of a micro-dollar are kept. */
export function costOf(usage: ChatUsage, price: ModelPrice): number {
	return costAt(usage, ratesFor(usage, price));
}

/**
 * The Batch API rates of a price, or null when the price has none (an override, or a model without batch). Both
 * providers apply the batch discount to cache reads too, so cache rates are scaled by the input discount.
 */
export function batchRates(rates: PriceRates): PriceRates | null {
	if (rates.batchInput === undefined || rates.batchOutput === undefined) return null;
	const discount = rates.input > 0 ? rates.batchInput / rates.input : 1;
	return {
		input: rates.batchInput,
		output: rates.batchOutput,
		cachedInput: (rates.cachedInput ?? rates.input) * discount,
		cacheWrite: (rates.cacheWrite ?? rates.input) * discount,
	};
}

/** Cost in USD of one call's usage sent through the provider's Batch API, or null when no batch price is known. */
export function batchCostOf(usage: ChatUsage, price: ModelPrice): number | null {
	const rates = batchRates(ratesFor(usage, price));
	return rates ? costAt(usage, rates) : null;
}
