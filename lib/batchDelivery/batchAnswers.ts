import { parseJsonAnswer, promptPreviewOf, type AiCallOutcome, type CachedAnswer } from '../aiCall';
import { measureTokensYielding } from '../compression';
import { batchCostOf, costOf, type ModelPrice } from '../pricing';
import { BatchRequestError, type BatchLineResult, type BatchStatus, type ChatResult } from '../providers';
import { WorkSlicer } from '../shared/yieldToEventLoop';
import type { PendingRequest } from './planRequests';
import type { BatchDeliveryDependencies, BatchDeliverySettings, ItemDelivery } from './types';

const UNCACHEABLE_FINISH = new Set(['length', 'content_filter', 'tool_calls']);
const PREVIEW_CHARS = 200;

/** What the answered requests of one batch cost and saved, in USD. */
export interface BatchTotals {
	costUsd: number;
	savedUsd: number;
}

/**
 * Hands each item of an ended batch its answer: the first item of a request pays the batch price, the items that
 * asked the same request share it (`coalesced`, as immediate calls share one in flight). Answers are stored in
 * the cache like immediate answers. A request without an answer fails its items with the provider's reason.
 */
export async function deliverAnswers(
	batch: readonly PendingRequest[],
	status: BatchStatus,
	results: readonly BatchLineResult[],
	settings: BatchDeliverySettings,
	deps: BatchDeliveryDependencies,
	started: number,
	out: Map<number, ItemDelivery>,
): Promise<BatchTotals> {
	const byId = new Map(results.map((result) => [result.customId, result]));
	const totals: BatchTotals = { costUsd: 0, savedUsd: 0 };
	const slicer = deps.slicer ?? new WorkSlicer();
	for (const pending of batch) {
		const line = byId.get(pending.key);
		try {
			if (line === undefined) throw unanswered(status);
			if ('error' in line) throw line.error;
			const answer = await answerOf(pending, line.result, settings.priceFor(pending.request.model), slicer);
			if (settings.cacheMode !== 'readOnly' && pending.cacheable && !UNCACHEABLE_FINISH.has(answer.cached.finishReason ?? '')) {
				await deps.cache?.set(pending.key, answer.cached as never, { ttlMs: settings.cacheTtlMs, persist: settings.persist });
			}
			totals.costUsd += answer.cached.costUsd ?? 0;
			totals.savedUsd += answer.savedUsd ?? 0;
			const latencyMs = deps.now() - started;
			pending.itemIndexes.forEach((itemIndex, position) => {
				const outcome = position === 0 ? paidOutcome(answer, pending, latencyMs) : sharedOutcome(answer, pending, latencyMs);
				out.set(itemIndex, { outcome, batchId: status.id });
			});
		} catch (error) {
			for (const itemIndex of pending.itemIndexes) out.set(itemIndex, { error });
		}
	}
	return totals;
}

interface BatchAnswer {
	cached: CachedAnswer;
	/** What the request would have cost sent immediately; null when the price is unknown. */
	immediateUsd: number | null;
	/** Batch discount plus what compression saved; null when the price is unknown. */
	savedUsd: number | null;
	toolCalls: ChatResult['toolCalls'];
	raw: unknown;
}

async function answerOf(pending: PendingRequest, result: ChatResult, price: ModelPrice | null, slicer: WorkSlicer): Promise<BatchAnswer> {
	const json = pending.request.responseFormat === 'json' ? parseJsonAnswer(result.text, result.finishReason) : undefined;
	// Without compression the provider's prompt count is the truth; with it, both sides are counted alike.
	const compressed = pending.textBefore !== pending.textAfter;
	const before = compressed ? (await measureTokensYielding(pending.textBefore, slicer)).tokens : result.usage.input;
	const after = compressed ? (await measureTokensYielding(pending.textAfter, slicer)).tokens : result.usage.input;
	const immediateUsd = price ? costOf(result.usage, price) : null;
	// A price without batch rates (an override) is charged as given: nothing is claimed as saved by the batch.
	const batchUsd = price ? (batchCostOf(result.usage, price) ?? immediateUsd) : null;
	const compressionSavedUsd = price ? (Math.max(0, before - after) * (price.batchInput ?? price.input)) / 1_000_000 : 0;
	const cached: CachedAnswer = {
		text: result.text,
		...(json !== undefined ? { json } : {}),
		finishReason: result.finishReason,
		usage: result.usage,
		costUsd: batchUsd,
		tokensBefore: before,
		tokensAfter: after,
		tokenCount: compressed ? 'exact' : 'provider',
		promptPreview: promptPreviewOf(pending.request, PREVIEW_CHARS),
	};
	const savedUsd = immediateUsd === null || batchUsd === null ? null : immediateUsd - batchUsd + compressionSavedUsd;
	return { cached, immediateUsd, savedUsd, toolCalls: result.toolCalls, raw: result.raw };
}

function baseOutcome(answer: BatchAnswer, pending: PendingRequest, latencyMs: number): Omit<AiCallOutcome, 'costUsd' | 'savedUsd' | 'cache' | 'attempts' | 'tokensSaved'> {
	const { cached } = answer;
	return {
		text: cached.text,
		json: cached.json,
		finishReason: cached.finishReason,
		toolCalls: answer.toolCalls,
		usage: cached.usage,
		tokensBefore: cached.tokensBefore,
		tokensAfter: cached.tokensAfter,
		tokenCount: cached.tokenCount ?? 'provider',
		latencyMs,
		bytesRaw: Buffer.byteLength(pending.textBefore),
		bytesCompressed: Buffer.byteLength(pending.textAfter),
	};
}

/** The item that paid for the request: batch price, saving against the immediate price. */
function paidOutcome(answer: BatchAnswer, pending: PendingRequest, latencyMs: number): AiCallOutcome {
	return {
		...baseOutcome(answer, pending, latencyMs),
		costUsd: answer.cached.costUsd,
		savedUsd: answer.savedUsd,
		cache: pending.cacheable ? 'miss' : 'bypass',
		attempts: 1,
		tokensSaved: Math.max(0, answer.cached.tokensBefore - answer.cached.tokensAfter),
		raw: answer.raw,
	};
}

/** An item that asked the same request as an earlier item of the run: it paid nothing and saved the immediate price. */
function sharedOutcome(answer: BatchAnswer, pending: PendingRequest, latencyMs: number): AiCallOutcome {
	return {
		...baseOutcome(answer, pending, latencyMs),
		costUsd: 0,
		savedUsd: answer.immediateUsd,
		cache: 'coalesced',
		attempts: 0,
		tokensSaved: answer.cached.usage.input + answer.cached.usage.output,
	};
}

/** A request the batch ended without answering, named by how the batch ended. */
function unanswered(status: BatchStatus): BatchRequestError {
	const expired = status.providerStatus === 'expired';
	const cancelled = status.providerStatus === 'cancelled' || status.providerStatus === 'canceled';
	return new BatchRequestError({
		batchId: status.id,
		code: status.providerStatus,
		providerMessage: `the batch ended (${status.providerStatus}) without an answer for this request`,
		errorClass: expired ? 'timeout' : cancelled ? 'cancelled' : 'server',
	});
}
