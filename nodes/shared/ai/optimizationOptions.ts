import type { INodeProperties } from 'n8n-workflow';
import { PRICE_TABLE_AS_OF } from '../../../lib/pricing';

/**
 * The optimization settings of both AI nodes, one definition each: Optimized AI Call offers all of them, Optimized
 * Chat Model those that apply to an agent's conversation (not compression or near-duplicate reuse, which would
 * change or merge conversations whose tool calls must be exact) plus its tool-call switch.
 */
const OPTIONS: Record<string, INodeProperties> = Object.fromEntries(
	([
		{
			displayName: 'Cache Max Entries',
			name: 'cacheMaxEntries',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1000,
			description: 'Answers kept in memory at most; the least recently used leave first',
		},
		{
			displayName: 'Cache Mode',
			name: 'cacheMode',
			type: 'options',
			options: [
				{ name: 'Off', value: 'off', description: 'Always call the provider; no coalescing' },
				{ name: 'Read Only', value: 'readOnly', description: 'Serve cached answers but never store new ones' },
				{ name: 'Read & Write', value: 'readWrite', description: 'Serve cached answers and store new ones' },
				{ name: 'Refresh', value: 'refresh', description: 'Always call the provider and overwrite the cached answer' },
			],
			default: 'readWrite',
		},
		{
			displayName: 'Cache Requests With Temperature Above 0',
			name: 'cacheNonZeroTemperature',
			type: 'boolean',
			default: true,
			description: 'Whether requests with a temperature above 0 use the cache too',
			hint: 'A cached answer is then reused instead of a fresh sample',
		},
		{
			displayName: 'Cache Scope',
			name: 'cacheScope',
			type: 'options',
			options: [
				{ name: 'This Node', value: 'node' },
				{ name: 'Whole Workflow', value: 'workflow', description: 'Share answers with the other Optimized AI Call and Optimized Chat Model nodes of this workflow' },
			],
			default: 'node',
		},
		{
			displayName: 'Cache TTL (Seconds)',
			name: 'cacheTtlSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 3600,
			description: 'How long a cached answer is served; 0 keeps it until it is evicted',
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 3,
			description: 'Tries per request, the first included; 429, 5xx, timeouts and network errors are retried with backoff, honouring Retry-After',
		},
		{
			displayName: 'Max Parallel Requests',
			name: 'maxConcurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 5,
			description: 'Items processed at the same time; output order always equals input order',
		},
		{
			displayName: 'Near-Duplicate Detection',
			name: 'nearDuplicates',
			type: 'boolean',
			default: false,
			description:
				'Whether a prompt that differs from an earlier one only in formatting (case, whitespace, line breaks, typographic quotes, trailing punctuation) reuses its answer. Any other difference (a word, a letter, a number, an operator, the order of words) is a different prompt.',
		},
		{
			displayName: 'Near-Duplicate Typo Tolerance',
			name: 'nearDuplicateTypos',
			type: 'boolean',
			default: false,
			description:
				'Whether near-duplicate detection also reuses the answer when a long word (8+ letters) differs by one letter inside it, at most one such word per ten words, and the similarity reaches the threshold. It can merge real words that differ in one inner letter (Colombia/Columbia, complement/compliment): see README.',
		},
		{
			displayName: 'Persist Cache in Workflow Static Data',
			name: 'persistCache',
			type: 'boolean',
			default: true,
			description: 'Whether cached answers are saved with the workflow so they survive a restart (within a 64 KiB budget)',
			hint: 'Turn off to keep prompts and answers in memory only, for privacy',
		},
		{
			displayName: 'Price Override',
			name: 'priceOverride',
			type: 'fixedCollection',
			default: {},
			description: `USD per 1 million tokens, instead of the built-in price table (read from the providers' price pages on ${PRICE_TABLE_AS_OF}), e.g. for a negotiated rate, a newer price or a local model at 0`,
			options: [
				{
					displayName: 'Prices',
					name: 'prices',
					values: [
						{ displayName: 'Input (USD per 1M Tokens)', name: 'input', type: 'number', typeOptions: { minValue: 0, numberPrecision: 4 }, default: 0 },
						{ displayName: 'Output (USD per 1M Tokens)', name: 'output', type: 'number', typeOptions: { minValue: 0, numberPrecision: 4 }, default: 0 },
						{
							displayName: 'Cached Input (USD per 1M Tokens)',
							name: 'cachedInput',
							type: 'number',
							typeOptions: { minValue: 0, numberPrecision: 4 },
							default: 0,
							description: 'Input tokens the provider serves from its prompt cache. 0 charges them at the Input price.',
						},
					],
				},
			],
		},
		{
			displayName: 'Prompt Compression',
			name: 'compression',
			type: 'options',
			options: [
				{ name: 'Aggressive', value: 'aggressive', description: 'Safe, plus JSON arrays of flat objects sent as a compact table' },
				{ name: 'Off', value: 'off' },
				{
					name: 'Safe',
					value: 'safe',
					description: 'Normalise whitespace, minify embedded JSON, collapse repeated lines; never changes a word or digit',
				},
			],
			default: 'off',
		},
		{
			displayName: 'Requests Per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Limit per credential, shared by all executions in this n8n process; 0 = no limit',
		},
		{
			displayName: 'Similarity Threshold',
			name: 'similarityThreshold',
			type: 'number',
			typeOptions: { minValue: 0.5, maxValue: 1, numberPrecision: 3 },
			default: 0.97,
			description:
				'How similar (0.5-1) a prompt with a typo must be to reuse an earlier answer, when typo tolerance is on (1 − edits / length); prompts that differ only in formatting score 1',
		},
		{
			displayName: 'Tokens Per Minute',
			name: 'tokensPerMinute',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Limit per credential (prompt tokens plus max tokens), shared by all executions in this n8n process; 0 = no limit',
		},
	] as INodeProperties[]).map((option) => [option.name, option]),
);

const CACHE_TOOL_CALLS: INodeProperties = {
	displayName: 'Cache Tool-Call Answers',
	name: 'cacheToolCalls',
	type: 'boolean',
	default: true,
	description:
		'Whether answers in which the model calls tools are cached like text answers. A replayed tool call makes the agent run the tool again, exactly as a fresh answer would; turn off when a tool\'s result changes between runs and the model should see each call afresh.',
};

function optimizationCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Optimization',
		name: 'optimization',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		// n8n lists a collection's options in the order given: keep them alphabetical as its lint rule asks.
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

const pick = (...names: string[]) => names.map((name) => OPTIONS[name]);

const SHARED = ['cacheMaxEntries', 'cacheMode', 'cacheNonZeroTemperature', 'cacheTtlSeconds', 'maxAttempts', 'persistCache', 'priceOverride', 'requestsPerMinute', 'tokensPerMinute'];

/** Optimized AI Call: every option. */
export const aiCallOptimization = optimizationCollection(Object.values(OPTIONS));

/** Optimized Chat Model: the options that apply to a whole conversation, and whether tool-call answers are cached. */
export const chatModelOptimization = optimizationCollection([
	...pick(...SHARED, 'cacheScope'),
	CACHE_TOOL_CALLS,
]);
