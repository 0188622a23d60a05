import type { ChatUsage } from '../providers';
import type { ModelPrice } from './priceTable';

/** Cost in USD of one call's usage at a price; fractions of a micro-dollar are kept. */
export function costOf(usage: ChatUsage, price: ModelPrice): number {
	const uncachedInput = Math.max(0, usage.input - usage.cachedInput - usage.cacheWrite);
	const perMillion =
		uncachedInput * price.input +
		usage.cachedInput * (price.cachedInput ?? price.input) +
		usage.cacheWrite * (price.cacheWrite ?? price.input) +
		usage.output * price.output;
	return perMillion / 1_000_000;
}
