/** How a call was served with respect to a cache. */
export type CacheOutcome = 'hit' | 'miss' | 'coalesced' | 'similar' | 'bypass';

/**
 * Why a call failed, coarse enough to act on: `rate_limit` suggests lowering concurrency, `timeout` and
 * `server` point at the upstream, `client` and `validation` at the input or configuration.
 */
export type ErrorClass =
	| 'auth'
	| 'cancelled'
	| 'client'
	| 'network'
	| 'other'
	| 'rate_limit'
	| 'server'
	| 'timeout'
	| 'validation';

export const ERROR_CLASSES: readonly ErrorClass[] = [
	'auth',
	'cancelled',
	'client',
	'network',
	'other',
	'rate_limit',
	'server',
	'timeout',
	'validation',
];

/**
 * One unit of work done by one of our nodes: an AI call, a dispatched batch, a template lookup or render.
 * Every numeric field is optional and defaults to 0; only `durationMs` is required.
 */
export interface MetricEvent {
	/** The node's type, e.g. `n8n-nodes-perf-optimizer.optimizedAiCall`. */
	nodeType: string;
	/** The node's display name in the workflow; together with the type it names the component. */
	nodeName: string;
	/** What was done, e.g. `chat`, `dispatch`, `render`. */
	operation: string;
	/** Wall time of the unit of work, in milliseconds. */
	durationMs: number;
	/** `ok`, or the class of the error that ended it. @default 'ok' */
	outcome?: 'ok' | ErrorClass;
	cache?: CacheOutcome;
	/** Items the unit of work covered (a batch covers many). @default 1 */
	items?: number;
	tokensIn?: number;
	tokensOut?: number;
	/** Tokens not sent because of caching, coalescing or compression. */
	tokensSaved?: number;
	/** Cost in USD; `null` when the price is unknown, which is counted apart instead of as 0. */
	costUsd?: number | null;
	costSavedUsd?: number;
	bytesRaw?: number;
	bytesCompressed?: number;
	/** Attempts beyond the first. */
	retries?: number;
	/** When it happened (epoch ms); the store's clock when absent. */
	at?: number;
}

/** The key of one series: a component (node type + node name) doing one operation. */
export interface SeriesId {
	nodeType: string;
	nodeName: string;
	operation: string;
}

const SEPARATOR = '\u0001';

export function seriesKey(id: SeriesId): string {
	return id.nodeType + SEPARATOR + id.nodeName + SEPARATOR + id.operation;
}

export function componentKey(id: Pick<SeriesId, 'nodeType' | 'nodeName'>): string {
	return id.nodeType + SEPARATOR + id.nodeName;
}
