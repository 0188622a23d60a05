import type { INode } from 'n8n-workflow';
import type { AiCallOutcome } from '../../../lib/aiCall';
import type { StateStore } from '../../../lib/state';

/**
 * The metric of one answered AI call, the same for both AI nodes so Perf Monitor adds them up alike: tokens and cost
 * only for calls that reached the provider, savings for those that did not.
 */
export function recordAiCall(store: StateStore, node: INode, operation: string, outcome: AiCallOutcome): void {
	const spent = outcome.attempts > 0;
	store.metrics.record({
		nodeType: node.type,
		nodeName: node.name,
		operation,
		durationMs: outcome.latencyMs,
		cache: outcome.cache,
		tokensIn: spent ? outcome.usage.input : 0,
		tokensOut: spent ? outcome.usage.output : 0,
		tokensSaved: outcome.tokensSaved,
		costUsd: outcome.costUsd,
		costSavedUsd: outcome.savedUsd ?? 0,
		bytesRaw: outcome.bytesRaw,
		bytesCompressed: outcome.bytesCompressed,
		retries: Math.max(0, outcome.attempts - 1),
	});
}
