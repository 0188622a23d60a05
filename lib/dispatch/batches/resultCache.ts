import { canonicalJson, sha256Hex } from '../../shared/canonicalJson';
import { isPlainObject, type JsonValue } from '../../shared/json';
import { DEFAULT_CORRELATION_FIELD, validateCorrelationField } from './batchPayload';
import type { ResultObject } from './mapResults';
import type { PlannedBatch } from './planBatches';

/**
 * Version of the key schema and of the stored value. Bump it whenever either changes, so entries written under
 * the old schema are never served.
 */
export const RESULT_CACHE_VERSION = 1;

/**
 * Who answers a batch. It is part of the key: the same items sent to another sub-workflow or another set of
 * webhooks must never share results. Webhook URLs are compared as a set, since load balancing and failover
 * may send a batch to any of them. Editing the sub-workflow or the receiving workflow does not change the
 * identity: cached results stay served until their TTL ends.
 */
export type ResultCacheTarget = { workflowId: string } | { webhookUrls: readonly string[] };

/** Where cached results live; lib/state's `CacheHandle` fits. */
export interface ResultCacheStore {
	get(key: string): Promise<{ value: JsonValue } | undefined>;
	set(key: string, value: JsonValue, options: { ttlMs: number; persist?: boolean }): Promise<void>;
}

export interface StoreResultsOptions {
	/** How long the results are served; `0` keeps them until evicted. */
	ttlMs: number;
	/** Whether they may be written to the workflow's static data. @default true */
	persist?: boolean;
}

/** What is stored: results by position in the batch, so a later batch of the same items at other indexes hits. */
interface StoredResults {
	v: typeof RESULT_CACHE_VERSION;
	results: ResultObject[][];
}

/**
 * The cache key of a batch: SHA-256 of canonical JSON (sorted keys) of the key version, the target identity
 * (sub-workflow id, or the sorted webhook URLs) and the payload items in batch order without the correlation
 * field, which differs with each item's input position and does not change the answer.
 */
export function resultCacheKey(
	target: ResultCacheTarget,
	payloadItems: ReadonlyArray<Record<string, unknown>>,
	options: { correlationField?: string } = {},
): string {
	const field = validateCorrelationField(options.correlationField ?? DEFAULT_CORRELATION_FIELD);
	if (!Array.isArray(payloadItems)) {
		throw new TypeError(`Expected \`payloadItems\` to be an array, got ${typeof payloadItems}`);
	}
	const items = payloadItems.map((item) => {
		const copy = { ...item };
		delete copy[field];
		return copy;
	});
	return sha256Hex(canonicalJson({ v: RESULT_CACHE_VERSION, target: targetIdentity(target), items }));
}

/**
 * Results stored for this key, by input item index of `batch`, or `undefined` on a miss. A stored value that
 * does not fit the batch (another item count, another schema) is a miss, not an error. The results are copies:
 * later nodes may change their items without changing the cache.
 */
export async function lookupBatchResults(
	store: ResultCacheStore,
	key: string,
	batch: Pick<PlannedBatch, 'itemIndexes'>,
): Promise<Map<number, ResultObject[]> | undefined> {
	const entry = await store.get(key);
	if (entry === undefined || !isStoredResults(entry.value, batch.itemIndexes.length)) return undefined;
	const results = structuredClone(entry.value.results);
	return new Map(batch.itemIndexes.map((itemIndex, position) => [itemIndex, results[position]]));
}

/**
 * Stores a batch's results by position. Store only complete mappings (no `unmatched` results, no error), since
 * a hit is served without asking the target. Values are stored as plain JSON copies, so a hit from memory
 * equals a hit from a restored snapshot, and later changes to the items do not reach the cache.
 * @throws {TypeError} when an item of the batch has no entry in `byItemIndex`, or a result is not JSON.
 */
export async function storeBatchResults(
	store: ResultCacheStore,
	key: string,
	batch: Pick<PlannedBatch, 'itemIndexes'>,
	byItemIndex: ReadonlyMap<number, ResultObject[]>,
	options: StoreResultsOptions,
): Promise<void> {
	if (!Number.isFinite(options.ttlMs) || options.ttlMs < 0) {
		throw new TypeError(`Expected \`ttlMs\` to be a number from 0 and up, got ${options.ttlMs}`);
	}
	const results = batch.itemIndexes.map((itemIndex) => {
		const itemResults = byItemIndex.get(itemIndex);
		if (itemResults === undefined) {
			throw new TypeError(`Expected results for item ${itemIndex} of the batch, found none in \`byItemIndex\``);
		}
		return itemResults;
	});
	const stored: StoredResults = { v: RESULT_CACHE_VERSION, results: JSON.parse(JSON.stringify(results)) };
	await store.set(key, stored as unknown as JsonValue, { ttlMs: options.ttlMs, persist: options.persist ?? true });
}

function targetIdentity(target: ResultCacheTarget): JsonValue {
	if (isPlainObject(target) && 'workflowId' in target && 'webhookUrls' in target) {
		throw new TypeError('Expected `target` to be either { workflowId } or { webhookUrls }, got both');
	}
	if (isPlainObject(target) && 'workflowId' in target) {
		if (typeof target.workflowId !== 'string' || target.workflowId === '') {
			const got = JSON.stringify(target.workflowId);
			throw new TypeError(`Expected \`target.workflowId\` to be a non-empty string, got ${got}`);
		}
		return { workflowId: target.workflowId };
	}
	if (isPlainObject(target) && 'webhookUrls' in target) {
		const urls = target.webhookUrls;
		if (!Array.isArray(urls) || urls.length === 0 || !urls.every((url) => typeof url === 'string' && url !== '')) {
			throw new TypeError(`Expected \`target.webhookUrls\` to be a non-empty list of URLs, got ${JSON.stringify(urls)}`);
		}
		return { webhookUrls: [...new Set(urls)].sort() };
	}
	throw new TypeError(`Expected \`target\` to be { workflowId } or { webhookUrls }, got ${JSON.stringify(target)}`);
}

function isStoredResults(value: unknown, itemCount: number): value is StoredResults & JsonValue {
	if (!isPlainObject(value) || value.v !== RESULT_CACHE_VERSION || !Array.isArray(value.results)) return false;
	if (value.results.length !== itemCount) return false;
	return value.results.every((itemResults) => Array.isArray(itemResults) && itemResults.every(isPlainObject));
}
