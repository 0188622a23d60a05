/**
 * USD per 1 million tokens, from the providers' public price pages on the date below. Prices change: the node
 * lets users override them, and an unknown model costs `null` (unknown), never 0.
 */
export const PRICE_TABLE_AS_OF = '2025-11-24';

export interface ModelPrice {
	/** Uncached input tokens. */
	input: number;
	output: number;
	/** Input tokens served from the provider's prompt cache. @default input */
	cachedInput?: number;
	/** Input tokens written to the provider's prompt cache (Anthropic, 5-minute TTL). @default input */
	cacheWrite?: number;
}

/** Keyed by model id prefix: a dated id such as `gpt-4o-2024-08-06` is priced as its longest listed prefix. */
export const PRICES: Readonly<Record<string, ModelPrice>> = {
	// OpenAI
	'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
	'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
	'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
	'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
	'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
	'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
	'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
	'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
	'gpt-4-turbo': { input: 10, output: 30 },
	'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
	o1: { input: 15, cachedInput: 7.5, output: 60 },
	'o1-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
	o3: { input: 2, cachedInput: 0.5, output: 8 },
	'o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
	'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
	// Anthropic: cache reads cost 0.1x input, 5-minute cache writes 1.25x input
	'claude-opus-4-5': { input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 },
	'claude-opus-4-1': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
	'claude-opus-4': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
	'claude-sonnet-4-5': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
	'claude-sonnet-4': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
	'claude-haiku-4-5': { input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 },
	'claude-3-7-sonnet': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
	'claude-3-5-sonnet': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
	'claude-3-5-haiku': { input: 0.8, cachedInput: 0.08, cacheWrite: 1, output: 4 },
	'claude-3-opus': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
	'claude-3-haiku': { input: 0.25, cachedInput: 0.03, cacheWrite: 0.3, output: 1.25 },
};

const PREFIXES = Object.keys(PRICES).sort((a, b) => b.length - a.length);

/**
 * The listed price of a model, by longest matching prefix, after dropping a router's vendor prefix
 * (`openai/gpt-4o` on OpenRouter). A prefix must end at the id's end or at a `-`: `gpt-4o` prices
 * `gpt-4o-2024-08-06` but not `gpt-4ox`.
 */
export function listedPrice(model: string): ModelPrice | undefined {
	const id = model.trim().toLowerCase().replace(/^[a-z0-9_.-]+\//, '');
	for (const prefix of PREFIXES) {
		if (id === prefix || id.startsWith(`${prefix}-`)) return PRICES[prefix];
	}
	return undefined;
}
