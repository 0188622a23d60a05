import table from './prices.json';

/**
 * The built-in prices live in `prices.json` (USD per 1 million tokens, each model with the page it was read from and
 * the date). Prices change: the node lets users override them, and a model missing from the table costs `null`
 * (unknown), never 0.
 */
export interface PriceRates {
	/** Uncached input tokens. */
	input: number;
	output: number;
	/** Input tokens served from the provider's prompt cache. @default input */
	cachedInput?: number;
	/** Input tokens written to the provider's prompt cache (shortest retention). @default input */
	cacheWrite?: number;
	/** Provider Batch API rates; cache rates in a batch get the same discount as input. */
	batchInput?: number;
	batchOutput?: number;
}

export interface ModelPrice extends PriceRates {
	/** Rates for the whole request once its prompt (input + cache reads + cache writes) exceeds `aboveInputTokens`. */
	longContext?: PriceRates & { aboveInputTokens: number };
}

export interface ListedPrice extends ModelPrice {
	provider: 'openai' | 'anthropic';
	/** The provider page the figures were read from. */
	source: string;
	/** ISO date the figures were read. */
	checked: string;
}

export const PRICE_TABLE_AS_OF: string = table.asOf;

export const PRICES: Readonly<Record<string, ListedPrice>> = table.models as Record<string, ListedPrice>;

// Dated snapshots: OpenAI `gpt-4.1-2025-04-14`, Anthropic `claude-haiku-4-5-20251001`.
const SNAPSHOT_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;

/**
 * The listed price of a model id, after dropping a router's vendor prefix (`openai/gpt-4.1` on OpenRouter) and a
 * dated snapshot suffix. Only those two are stripped: a variant the table does not list (`gpt-6.2-sol-pro`) is
 * unknown rather than priced as its base model, because variants are often priced differently.
 */
export function listedPrice(model: string): ListedPrice | undefined {
	const id = model.trim().toLowerCase().replace(/^[a-z0-9_.-]+\//, '');
	return PRICES[id] ?? PRICES[id.replace(SNAPSHOT_SUFFIX, '')];
}
