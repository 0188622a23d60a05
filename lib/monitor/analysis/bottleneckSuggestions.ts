import type { CounterSet } from '../../metrics';
import { formatMs, formatPercent, roundTo } from './format';

/** What the suggestion rules look at for one component in the current window. */
export interface ComponentFacts {
	/** The node type, e.g. `n8n-nodes-base.httpRequest`: some advice is for one kind of node. */
	nodeType: string;
	counters: CounterSet;
	windowMinutes: number;
	shareOfTimePct: number;
	p95Ms: number;
	previousP95Ms: number | null;
	latencyRegressionPct: number | null;
}

/** When each suggestion applies; the README's bottleneck section quotes these. */
export const SUGGESTION_THRESHOLDS = {
	/** A component taking at least this share of all monitored time is the one to speed up first. */
	dominantSharePct: 50,
	/** p95 growth against the previous window of the same length. */
	latencyRegressionPct: 50,
	/** Share of calls answered with 429. */
	rateLimitShare: 0.05,
	/** Timeouts and 5xx are rarer and each costs more (a full timeout, a retry), so a smaller share counts. */
	timeoutShare: 0.02,
	serverErrorShare: 0.02,
	retriesPerCall: 0.2,
	lowHitRate: 0.3,
	/** Fewer lookups than this say nothing reliable about a hit rate. */
	minCacheLookups: 20,
	/** Average prompt bytes per call above which compression is worth turning on. */
	largePromptBytes: 4000,
	/** n8n's own node types get advice of their own once they take this share of the time. */
	nodeTypeSharePct: 20,
	/** Items out per run from which a per-item node (HTTP Request, Execute Workflow) is worth batching. */
	perItemMinItemsPerRun: 2,
	/** A Code node this slow (p95) is worth a look whatever its share. */
	slowCodeP95Ms: 1000,
} as const;

type SuggestionRule = (facts: ComponentFacts) => string | undefined;

/** Ordered from what costs most (time share, regressions) to what saves most (cache, compression). */
const RULES: readonly SuggestionRule[] = [
	dominantShare,
	latencyRegression,
	rateLimits,
	timeouts,
	serverErrors,
	frequentRetries,
	lowHitRate,
	uncompressedLargePrompts,
	n8nNodeTypeAdvice,
];

/** Concrete, numbered advice for one component; empty when nothing stands out. */
export function suggestionsFor(facts: ComponentFacts): string[] {
	const suggestions: string[] = [];
	for (const rule of RULES) {
		const suggestion = rule(facts);
		if (suggestion !== undefined) suggestions.push(suggestion);
	}
	return suggestions;
}

function dominantShare({ shareOfTimePct, p95Ms }: ComponentFacts): string | undefined {
	if (shareOfTimePct < SUGGESTION_THRESHOLDS.dominantSharePct) return undefined;
	return `Takes ${shareOfTimePct}% of the time spent in all monitored nodes (p95 ${formatMs(p95Ms)}): it dominates run time, so speeding it up pays off most`;
}

function latencyRegression({ latencyRegressionPct, previousP95Ms, p95Ms }: ComponentFacts): string | undefined {
	if (latencyRegressionPct === null || previousP95Ms === null) return undefined;
	if (latencyRegressionPct < SUGGESTION_THRESHOLDS.latencyRegressionPct) return undefined;
	return `p95 latency rose ${latencyRegressionPct}% against the previous window (${formatMs(previousP95Ms)} -> ${formatMs(p95Ms)}): check for longer prompts, a slower model or trouble at the provider`;
}

function rateLimits({ counters, windowMinutes }: ComponentFacts): string | undefined {
	const limited = counters.errorsByClass.rate_limit ?? 0;
	if (limited === 0 || limited / counters.calls < SUGGESTION_THRESHOLDS.rateLimitShare) return undefined;
	const perMinute = roundTo(counters.calls / windowMinutes, 1);
	return `${countOfCalls(limited, counters.calls)} hit rate limits (429): lower Max Parallel Requests or set Requests Per Minute (now ${perMinute} calls per minute)`;
}

function timeouts({ counters, p95Ms }: ComponentFacts): string | undefined {
	const timedOut = counters.errorsByClass.timeout ?? 0;
	if (timedOut === 0 || timedOut / counters.calls < SUGGESTION_THRESHOLDS.timeoutShare) return undefined;
	return `${countOfCalls(timedOut, counters.calls)} timed out (p95 ${formatMs(p95Ms)}): raise Timeout (Ms) under Request Options, or check the provider's status and latency`;
}

function serverErrors({ counters }: ComponentFacts): string | undefined {
	const failed = counters.errorsByClass.server ?? 0;
	if (failed === 0 || failed / counters.calls < SUGGESTION_THRESHOLDS.serverErrorShare) return undefined;
	return `${countOfCalls(failed, counters.calls)} failed with server errors (5xx): check the endpoint's health (provider status page, gateway or model server logs)`;
}

function frequentRetries({ counters }: ComponentFacts): string | undefined {
	const perCall = counters.retries / counters.calls;
	if (perCall < SUGGESTION_THRESHOLDS.retriesPerCall) return undefined;
	return `${counters.retries} retries over ${counters.calls} calls (${roundTo(perCall, 2)} per call): each retry adds a round trip and its back-off; remove the cause (rate limits, server errors, timeouts) rather than raising Max Attempts`;
}

function lowHitRate({ counters }: ComponentFacts): string | undefined {
	const served = counters.hits + counters.coalesced + counters.similar;
	const lookups = served + counters.misses;
	if (lookups < SUGGESTION_THRESHOLDS.minCacheLookups) return undefined;
	const hitRate = served / lookups;
	if (hitRate >= SUGGESTION_THRESHOLDS.lowHitRate) return undefined;
	return `Cache hit rate is ${formatPercent(hitRate)} over ${lookups} lookups: raise Cache TTL, turn on Prompt Compression or Near-Duplicate Detection`;
}

function uncompressedLargePrompts({ counters }: ComponentFacts): string | undefined {
	const { bytesRaw, bytesCompressed, calls } = counters;
	// Compression off: the engine records the prompt unchanged (compressed = raw), or nothing for "after".
	const uncompressed = bytesCompressed === 0 || bytesCompressed === bytesRaw;
	const averageBytes = bytesRaw / calls;
	if (!uncompressed || averageBytes <= SUGGESTION_THRESHOLDS.largePromptBytes) return undefined;
	return `Prompts average ${Math.round(averageBytes)} bytes and are sent uncompressed: turn on Prompt Compression`;
}

/** Advice for n8n's own node types, timed from its saved executions (Analyze Executions). */
const NODE_TYPE_ADVICE: ReadonlyArray<{ matches: (nodeType: string) => boolean; advise: (facts: ComponentFacts) => string | undefined }> = [
	{
		matches: (nodeType) => nodeType === 'n8n-nodes-base.httpRequest',
		advise: (facts) =>
			perItem(facts, (itemsPerRun) => `Sends one request per item (${itemsPerRun} items per run, p95 ${formatMs(facts.p95Ms)}, ${facts.shareOfTimePct}% of the time): turn on the node's Batching option (Options > Batching) or send the items in batches with bounded parallelism through Batch Workflow Trigger`),
	},
	{
		matches: (nodeType) => nodeType === 'n8n-nodes-base.executeWorkflow',
		advise: (facts) =>
			perItem(facts, (itemsPerRun) => `Starts sub-workflows for ${itemsPerRun} items per run (p95 ${formatMs(facts.p95Ms)}, ${facts.shareOfTimePct}% of the time): each sub-execution has a fixed cost, so send the items in batches, in parallel, through Batch Workflow Trigger`),
	},
	{
		matches: (nodeType) => /\.(lmChat[A-Za-z]*|lmOpenAi|openAi|anthropic|googleGemini|mistralAi|ollama)$/i.test(nodeType),
		advise: ({ shareOfTimePct, p95Ms }) =>
			shareOfTimePct < SUGGESTION_THRESHOLDS.nodeTypeSharePct
				? undefined
				: `A model call takes ${shareOfTimePct}% of the time (p95 ${formatMs(p95Ms)}): Optimized Chat Model (for agents and chains) or Optimized AI Call answers repeated prompts from a cache, runs identical calls in flight once and shares rate limits`,
	},
	{
		matches: (nodeType) => /^n8n-nodes-base\.(code|function|functionItem)$/.test(nodeType),
		advise: ({ shareOfTimePct, p95Ms, counters }) =>
			shareOfTimePct < SUGGESTION_THRESHOLDS.nodeTypeSharePct && p95Ms < SUGGESTION_THRESHOLDS.slowCodeP95Ms
				? undefined
				: `A Code node takes ${shareOfTimePct}% of the time (p95 ${formatMs(p95Ms)}, ${roundTo(counters.items / counters.calls, 1)} items out per run): find where its time goes by splitting it into smaller Code nodes (each then timed here) or timing its parts with Span Start and Span End; prefer "Run Once for All Items" over once per item, and avoid awaiting one request at a time in a loop`,
	},
];

function n8nNodeTypeAdvice(facts: ComponentFacts): string | undefined {
	return NODE_TYPE_ADVICE.find((advice) => advice.matches(facts.nodeType))?.advise(facts);
}

/** Advice for a node that works once per item, when it has several items per run and takes a real share of the time. */
function perItem(facts: ComponentFacts, advice: (itemsPerRun: number) => string): string | undefined {
	const itemsPerRun = facts.counters.items / facts.counters.calls;
	if (itemsPerRun < SUGGESTION_THRESHOLDS.perItemMinItemsPerRun || facts.shareOfTimePct < SUGGESTION_THRESHOLDS.nodeTypeSharePct) return undefined;
	return advice(roundTo(itemsPerRun, 1));
}

/** "42 of 300 calls (14%)" */
function countOfCalls(count: number, calls: number): string {
	return `${count} of ${calls} calls (${formatPercent(count / calls)})`;
}
