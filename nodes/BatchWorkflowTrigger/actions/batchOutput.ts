import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { PlannedBatch, ResultObject } from '../../../lib/dispatch/batches';
import { errorClassOf, errorItemOrThrow, inContext, toNodeError } from '../../shared/errors';
import type { BatchSettings } from './readSettings';

/** What became of one batch: its results by input item, or its error. */
export interface BatchOutcome {
	batch: PlannedBatch;
	results?: Map<number, ResultObject[]>;
	unmatched?: ResultObject[];
	via?: string;
	attempts: number;
	latencyMs: number;
	cached: boolean;
	error?: unknown;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** Output in input order: each input item's results (or error), or one summary per batch. */
export function buildOutput(
	context: IExecuteFunctions,
	itemCount: number,
	oversized: Array<{ itemIndex: number; bytes: number }>,
	outcomes: BatchOutcome[],
	settings: BatchSettings,
	label: string,
): INodeExecutionData[] {
	const failed = failedItems(context, oversized, outcomes);
	if (!settings.waitForResults || settings.perBatchOutput) {
		return [...outcomes.map((outcome) => batchRow(outcome, failed, settings, label)), ...oversized.map((item) => failed.get(item.itemIndex)!)];
	}
	return itemResults(itemCount, outcomes, failed, settings, label);
}

/**
 * The error item of every input item that failed: too large to send, or in a batch that failed (all of a batch's
 * items share its error, which names the batch). Without continue-on-fail the first failure is thrown.
 */
function failedItems(context: IExecuteFunctions, oversized: Array<{ itemIndex: number; bytes: number }>, outcomes: BatchOutcome[]): Map<number, INodeExecutionData> {
	const node = context.getNode();
	const failed = new Map<number, INodeExecutionData>();
	for (const { itemIndex, bytes } of oversized) {
		const error = new NodeOperationError(node, `Item ${itemIndex} is ${bytes} bytes of JSON, more than n8n's 16 MiB webhook limit`, { itemIndex });
		failed.set(itemIndex, errorItemOrThrow(context, error, itemIndex, 'validation'));
	}
	for (const { batch, error } of outcomes) {
		if (error === undefined) continue;
		const items = batch.itemIndexes;
		const range = items.length === 1 ? `item ${items[0]}` : `items ${items[0]}-${items[items.length - 1]}`;
		const batchError = toNodeError(node, inContext(error, `Batch ${batch.index} (${range})`), items[0]);
		for (const itemIndex of items) failed.set(itemIndex, errorItemOrThrow(context, batchError, itemIndex, errorClassOf(error)));
	}
	return failed;
}

/** One batch's summary; a failed batch's row is also its error item (error, errorClass, error output). */
function batchRow(outcome: BatchOutcome, failed: Map<number, INodeExecutionData>, settings: BatchSettings, label: string): INodeExecutionData {
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
	const errorRow = outcome.error ? failed.get(outcome.batch.itemIndexes[0]) : undefined;
	if (!errorRow) return { json: summary, pairedItem };
	return { ...errorRow, json: { ...summary, ...errorRow.json }, pairedItem };
}

/** Each input item's results with the `_batch` details, or its error item. */
function itemResults(itemCount: number, outcomes: BatchOutcome[], failed: Map<number, INodeExecutionData>, settings: BatchSettings, label: string): INodeExecutionData[] {
	const resultsByItem = new Map<number, { results: ResultObject[]; outcome: BatchOutcome }>();
	for (const outcome of outcomes) {
		if (!outcome.results) continue;
		for (const [itemIndex, results] of outcome.results) resultsByItem.set(itemIndex, { results, outcome });
	}
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const failure = failed.get(itemIndex);
		if (failure) {
			output.push(failure);
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
