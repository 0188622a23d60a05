import { performance } from 'node:perf_hooks';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import pLimit from 'p-limit';
import {
	batchIdFor,
	BATCH_ENVELOPE_BYTES,
	buildBatchPayload,
	correlationFieldBytes,
	lookupBatchResults,
	mapBatchResults,
	planBatches,
	resultCacheKey,
	storeBatchResults,
	WEBHOOK_HARD_LIMIT_BYTES,
	type PlannedBatch,
	type ResultCacheTarget,
	type ResultObject,
} from '../../../lib/dispatch/batches';
import { continuingOnFail } from '../../shared/continueOnFail';
import { errorClassOf, errorItem, toNodeError } from '../../shared/errors';
import { UNIT_OPERATIONS } from '../../../lib/metrics';
import type { StateStore } from '../../../lib/state';
import { withStateStore } from '../../shared/state';
import { readSettings, type BatchSettings } from './readSettings';
import { subWorkflowTarget } from './subWorkflowTarget';
import { webhookTarget } from './webhookTarget';

/** What a target does with one batch: returns the items it answered with (empty for fire-and-forget). */
export interface BatchTarget {
	/** Names the target in outputs and metrics (workflow id, or the URL that answered). */
	readonly label: string;
	readonly cacheTarget: ResultCacheTarget;
	send(batchId: string, items: Array<Record<string, unknown>>, signal?: AbortSignal): Promise<TargetAnswer>;
}

export interface TargetAnswer {
	items: unknown[];
	/** Where it went: the workflow id, or the URL that answered. */
	via: string;
	attempts: number;
	bytesRaw?: number;
	bytesSent?: number;
}

interface BatchOutcome {
	batch: PlannedBatch;
	results?: Map<number, ResultObject[]>;
	unmatched?: ResultObject[];
	via?: string;
	attempts: number;
	latencyMs: number;
	cached: boolean;
	error?: unknown;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await continuingOnFail(this, async () => await dispatch.call(this));
}

/** Plans the batches, sends them, and maps the answers back to the input items. */
async function dispatch(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const items = this.getInputData();
	const settings = readSettings(this);
	return await withStateStore(this, '_batch', async (store) => {
		const json = items.map((item) => item.json as Record<string, unknown>);
		const plan = planBatches(json, {
			maxItems: settings.batchSize,
			maxBytes: settings.maxBatchBytes,
			groupBy: settings.groupBy,
			hardLimitBytes: WEBHOOK_HARD_LIMIT_BYTES - BATCH_ENVELOPE_BYTES,
			itemOverheadBytes: correlationFieldBytes(settings.correlationField, items.length),
		});
		const target = settings.target === 'webhook' ? await webhookTarget(this, store, settings) : subWorkflowTarget(this, settings);
		const cache = settings.resultCache && settings.waitForResults ? store.caches.open(`batch:node:${node.name}`, { maxEntries: 1000, ttlMs: settings.resultCacheTtlMs }) : undefined;
		const signal = this.getExecutionCancelSignal?.();
		const limit = pLimit(settings.maxInFlight);
		const queuedAt = performance.now();

		const outcomes = await Promise.all(
			plan.batches.map((batch) =>
				limit(async (): Promise<BatchOutcome> => {
					const started = performance.now();
					const queueWaitMs = started - queuedAt;
					let payload: ReturnType<typeof buildBatchPayload>;
					try {
						payload = buildBatchPayload(batch, json, {
							correlationField: settings.correlationField,
							batchId: batchIdFor(target.label, batch.itemIndexes, this.getExecutionId() ?? 'manual'),
						});
					} catch (error) {
						// An item that already carries the correlation field: its batch is not sent, the others are.
						return { batch, attempts: 0, latencyMs: 0, cached: false, error };
					}
					const cacheKey = cache ? resultCacheKey(target.cacheTarget, payload.items, { correlationField: settings.correlationField }) : undefined;
					// A batch that fails after its lookup found nothing is a miss, as the cache's own counters have it.
					let lookupMissed = false;
					try {
						if (cache && cacheKey) {
							const hit = await lookupBatchResults(cache, cacheKey, batch);
							if (hit) {
								const latencyMs = performance.now() - started;
								record(this, store, settings, batch, { latencyMs, queueWaitMs, cache: 'hit' });
								return { batch, results: hit, attempts: 0, latencyMs, cached: true, via: target.label };
							}
							lookupMissed = true;
						}
						const answer = await target.send(payload.batchId, payload.items, signal);
						const latencyMs = performance.now() - started;
						let results: Map<number, ResultObject[]> | undefined;
						let unmatched: ResultObject[] | undefined;
						if (settings.waitForResults) {
							({ byItemIndex: results, unmatched } = mapBatchResults(batch, payload.items, answer.items, { correlationField: settings.correlationField }));
							if (cache && cacheKey && unmatched.length === 0) await storeBatchResults(cache, cacheKey, batch, results, { ttlMs: settings.resultCacheTtlMs });
						}
						record(this, store, settings, batch, {
							latencyMs,
							queueWaitMs,
							cache: cache ? 'miss' : undefined,
							retries: answer.attempts - 1,
							bytesRaw: answer.bytesRaw,
							bytesSent: answer.bytesSent,
						});
						return { batch, results, unmatched, via: answer.via, attempts: answer.attempts, latencyMs, cached: false };
					} catch (error) {
						const latencyMs = performance.now() - started;
						record(this, store, settings, batch, { latencyMs, queueWaitMs, cache: lookupMissed ? 'miss' : undefined, outcome: errorClassOf(error) });
						return { batch, attempts: (error as { attempts?: number }).attempts ?? 1, latencyMs, cached: false, error };
					}
				}),
			),
		);
		return [buildOutput(this, items.length, plan.oversized, outcomes, settings, target.label)];
	});
}

function record(
	context: IExecuteFunctions,
	store: StateStore,
	settings: BatchSettings,
	batch: PlannedBatch,
	facts: { latencyMs: number; queueWaitMs: number; cache?: 'hit' | 'miss'; outcome?: ReturnType<typeof errorClassOf>; retries?: number; bytesRaw?: number; bytesSent?: number },
): void {
	const node = context.getNode();
	store.metrics.record({
		nodeType: node.type,
		nodeName: node.name,
		operation: settings.target === 'webhook' ? UNIT_OPERATIONS.webhookBatch : UNIT_OPERATIONS.subWorkflowBatch,
		durationMs: facts.latencyMs,
		items: batch.itemIndexes.length,
		cache: facts.cache,
		outcome: facts.outcome ?? 'ok',
		retries: facts.retries,
		bytesRaw: facts.bytesRaw ?? batch.bytes,
		bytesCompressed: facts.bytesSent ?? facts.bytesRaw ?? batch.bytes,
	});
	// A sub-operation: time before the batch's dispatch started, not a call of its own.
	store.metrics.record({ nodeType: node.type, nodeName: node.name, operation: 'queueWait', durationMs: facts.queueWaitMs, items: batch.itemIndexes.length });
}

/** Output in input order: each input item's results (or error), or one summary per batch. */
function buildOutput(
	context: IExecuteFunctions,
	itemCount: number,
	oversized: Array<{ itemIndex: number; bytes: number }>,
	outcomes: BatchOutcome[],
	settings: BatchSettings,
	label: string,
): INodeExecutionData[] {
	const node = context.getNode();
	const continueOnFail = context.continueOnFail();
	const failures = new Map<number, { error: NodeOperationError | ReturnType<typeof toNodeError>; errorClass: ReturnType<typeof errorClassOf> }>();
	for (const item of oversized) {
		const error = new NodeOperationError(node, `Item ${item.itemIndex} is ${item.bytes} bytes of JSON, more than n8n's 16 MiB webhook limit`, { itemIndex: item.itemIndex });
		if (!continueOnFail) throw error;
		failures.set(item.itemIndex, { error, errorClass: 'validation' });
	}
	for (const outcome of outcomes) {
		if (outcome.error === undefined) continue;
		const first = outcome.batch.itemIndexes[0];
		const error = toNodeError(node, withBatchContext(outcome.error, outcome.batch), first);
		if (!continueOnFail) throw error;
		for (const itemIndex of outcome.batch.itemIndexes) failures.set(itemIndex, { error, errorClass: errorClassOf(outcome.error) });
	}

	if (!settings.waitForResults || settings.perBatchOutput) {
		const rows: INodeExecutionData[] = outcomes.map((outcome) => {
			const summary: IDataObject = {
				batch: outcome.batch.index,
				items: outcome.batch.itemIndexes.length,
				target: outcome.via ?? label,
				status: outcome.error ? 'failed' : settings.waitForResults ? 'done' : 'sent',
				attempts: outcome.attempts,
				latencyMs: round(outcome.latencyMs),
				cached: outcome.cached,
				...(outcome.results ? { results: [...outcome.results.values()].reduce((sum, list) => sum + list.length, 0) } : {}),
			};
			const pairedItem = outcome.batch.itemIndexes.map((item) => ({ item }));
			const failure = failures.get(outcome.batch.itemIndexes[0]);
			if (!outcome.error || !failure) return { json: summary, pairedItem };
			// A failed batch's row is an error item (error, errorClass, error output) that still says which batch it was.
			const row = errorItem(node, failure.error, outcome.batch.itemIndexes[0], failure.errorClass);
			return { ...row, json: { ...summary, ...row.json }, pairedItem };
		});
		for (const item of oversized) rows.push(errorItem(node, failures.get(item.itemIndex)!.error, item.itemIndex, 'validation'));
		return rows;
	}

	const resultsByItem = new Map<number, { results: ResultObject[]; outcome: BatchOutcome }>();
	for (const outcome of outcomes) {
		if (!outcome.results) continue;
		for (const [itemIndex, results] of outcome.results) resultsByItem.set(itemIndex, { results, outcome });
	}
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const failure = failures.get(itemIndex);
		if (failure) {
			output.push(errorItem(node, failure.error, itemIndex, failure.errorClass));
			continue;
		}
		const entry = resultsByItem.get(itemIndex);
		if (!entry) continue;
		const details: IDataObject = {
			index: entry.outcome.batch.index,
			[settings.target === 'webhook' ? 'endpoint' : 'workflow']: entry.outcome.via ?? label,
			attempts: entry.outcome.attempts,
			latencyMs: round(entry.outcome.latencyMs),
			cached: entry.outcome.cached,
		};
		for (const result of entry.results) output.push({ json: { ...result, _batch: details }, pairedItem: { item: itemIndex } });
	}
	return output;
}

function withBatchContext(error: unknown, batch: PlannedBatch): unknown {
	if (!(error instanceof Error) || error instanceof NodeOperationError) return error;
	const items = batch.itemIndexes;
	const range = items.length === 1 ? `item ${items[0]}` : `items ${items[0]}-${items[items.length - 1]}`;
	return Object.assign(new Error(`Batch ${batch.index} (${range}): ${error.message}`), {
		errorClass: (error as { errorClass?: string }).errorClass,
		status: (error as { status?: number }).status,
		description: (error as { description?: string }).description,
	});
}

const round = (value: number) => Math.round(value * 1000) / 1000;
