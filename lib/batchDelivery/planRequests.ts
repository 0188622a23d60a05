import { cacheKeyForSliced, compressRequest, fromCachedAnswer, fromCacheValue, type AiCallOutcome, type CachedAnswer } from '../aiCall';
import type { BatchClient, ChatRequest } from '../providers';
import { WorkSlicer } from '../shared/yieldToEventLoop';
import type { BatchDeliveryDependencies, BatchDeliverySettings, BatchItem } from './types';

/** One distinct request to send: every item that asks exactly it shares its answer. */
export interface PendingRequest {
	/** The request's cache key; also its custom id in the batch. */
	key: string;
	request: ChatRequest;
	itemIndexes: number[];
	/** Whether its answer may be stored in the cache (as for an immediate call). */
	cacheable: boolean;
	textBefore: string;
	textAfter: string;
}

/** A batch to submit: its requests and their encoded lines, in the same order. */
export interface PlannedBatch {
	requests: PendingRequest[];
	lines: string[];
}

/** Bytes kept free in every batch for what wraps the lines (the upload's multipart parts, Anthropic's envelope). */
const BATCH_OVERHEAD_BYTES = 1024;

/**
 * Serves what the cache already holds and groups the rest by cache key: identical requests of one run become one
 * request. The cache is read exactly when an immediate call would read it.
 */
export async function planRequests(
	items: readonly BatchItem[],
	settings: BatchDeliverySettings,
	deps: BatchDeliveryDependencies,
): Promise<{ served: Map<number, AiCallOutcome>; pending: PendingRequest[] }> {
	const slicer = deps.slicer ?? new WorkSlicer();
	const served = new Map<number, AiCallOutcome>();
	const pending = new Map<string, PendingRequest>();
	for (const { itemIndex, request } of items) {
		const started = deps.now();
		const compressed = await compressRequest(request, settings.compression, slicer);
		const key = await cacheKeyForSliced(compressed.request, deps.endpoint, slicer);
		const cacheable = settings.cacheMode !== 'off' && deps.cache !== undefined && ((compressed.request.temperature ?? 1) === 0 || settings.cacheNonZeroTemperature);
		const reads = cacheable && (settings.cacheMode === 'readWrite' || settings.cacheMode === 'readOnly');
		const hit = reads && !pending.has(key) ? cachedAnswer(await deps.cache!.get(key)) : undefined;
		if (hit) {
			served.set(itemIndex, hitOutcome(hit, compressed.textBefore, compressed.textAfter, deps.now() - started));
			continue;
		}
		const known = pending.get(key);
		if (known) known.itemIndexes.push(itemIndex);
		else pending.set(key, { key, request: compressed.request, itemIndexes: [itemIndex], cacheable, textBefore: compressed.textBefore, textAfter: compressed.textAfter });
	}
	return { served, pending: [...pending.values()] };
}

/** A stored text answer; tool-call answers are never served here, as Optimized AI Call never caches them. */
function cachedAnswer(entry: { value: unknown } | undefined): CachedAnswer | undefined {
	const answer = entry === undefined ? undefined : fromCacheValue(entry.value as never);
	return answer?.toolCalls === undefined ? answer : undefined;
}

function hitOutcome(answer: CachedAnswer, textBefore: string, textAfter: string, latencyMs: number): AiCallOutcome {
	return { ...fromCachedAnswer(answer, Buffer.byteLength(textBefore), Buffer.byteLength(textAfter)), cache: 'hit', latencyMs };
}

/**
 * Splits the requests into batches the provider accepts (its requests and bytes per batch), in order, so the
 * same requests always make the same batches. A request too large for any batch is returned apart.
 */
export function splitIntoBatches(requests: readonly PendingRequest[], client: BatchClient): { batches: PlannedBatch[]; tooLarge: Array<{ request: PendingRequest; bytes: number }> } {
	const { maxRequests, maxBytes } = client.limits;
	const room = Math.max(1, maxBytes - BATCH_OVERHEAD_BYTES);
	const batches: PlannedBatch[] = [];
	const tooLarge: Array<{ request: PendingRequest; bytes: number }> = [];
	let current: PlannedBatch = { requests: [], lines: [] };
	let bytes = 0;
	for (const request of requests) {
		const line = client.encodeLine({ customId: request.key, request: request.request });
		// One separator byte per line: JSONL's newline, or the comma between Anthropic's requests.
		const lineBytes = Buffer.byteLength(line) + 1;
		if (lineBytes > room) {
			tooLarge.push({ request, bytes: lineBytes });
			continue;
		}
		if (current.requests.length >= maxRequests || bytes + lineBytes > room) {
			batches.push(current);
			current = { requests: [], lines: [] };
			bytes = 0;
		}
		current.requests.push(request);
		current.lines.push(line);
		bytes += lineBytes;
	}
	if (current.requests.length > 0) batches.push(current);
	return { batches, tooLarge };
}
