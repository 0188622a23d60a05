import { BatchRequestError, type BatchStatus } from '../providers';
import { batchRecordKey, readBatchRecord, writeBatchRecord, type BatchRecord } from './batchRecords';
import { deliverAnswers } from './batchAnswers';
import { BatchStoppedError } from './batchStopped';
import { planRequests, splitIntoBatches, type PlannedBatch } from './planRequests';
import type { BatchDeliveryDependencies, BatchDeliveryResult, BatchDeliverySettings, BatchItem, BatchReport, ItemDelivery } from './types';
import { waitForBatch } from './waitForBatch';

/**
 * Answers items through the provider's batch API: cached answers are served, identical requests go once, the
 * rest is split into batches the provider accepts, each submitted (or resumed, when an earlier run recorded the
 * same requests) and waited for, then every item gets its answer or the reason it has none.
 *
 * Never pays twice: a batch is recorded in the workflow's records, under a hash of its requests, as soon as the
 * provider accepts it, and forgotten only once its answers are handed out (and cached) or it is cancelled. A run
 * that stops waiting (maximum wait, shutdown) leaves it recorded; a run that finds it gone at the provider
 * submits anew.
 */
export async function deliverInBatches(items: readonly BatchItem[], settings: BatchDeliverySettings, deps: BatchDeliveryDependencies): Promise<BatchDeliveryResult> {
	const started = deps.now();
	const deadline = deps.clock.now() + settings.maxWaitMs;
	const out = new Map<number, ItemDelivery>();
	const { served, pending } = await planRequests(items, settings, deps);
	for (const [itemIndex, outcome] of served) out.set(itemIndex, { outcome });

	const { batches, tooLarge } = splitIntoBatches(pending, deps.client);
	for (const { request, bytes } of tooLarge) {
		const error = new BatchRequestError({
			batchId: '(none)',
			code: 'request_too_large',
			providerMessage: `the request is ${bytes} bytes, more than one batch may hold (${deps.client.limits.maxBytes} bytes)`,
			errorClass: 'validation',
		});
		for (const itemIndex of request.itemIndexes) out.set(itemIndex, { error });
	}

	// Submitted one after another, so a failure to submit stops before more is paid for; waited for together.
	const opened: Array<{ batch: PlannedBatch; key: string; status: BatchStatus; report: BatchReport }> = [];
	try {
		for (const batch of batches) opened.push({ batch, ...(await openBatch(batch, deps)) });
	} catch (error) {
		for (const batch of batches.slice(opened.length)) for (const request of batch.requests) for (const itemIndex of request.itemIndexes) out.set(itemIndex, { error });
	}
	await Promise.all(opened.map(async ({ batch, key, status, report }) => {
		try {
			await finishBatch(batch, key, status, report, deadline, settings, deps, started, out);
		} catch (error) {
			for (const request of batch.requests) for (const itemIndex of request.itemIndexes) out.set(itemIndex, { error });
		}
	}));
	return { items: out, batches: opened.map(({ report }) => report) };
}

/** The batch an earlier run recorded for these requests, when the provider still has it; else a new one. */
async function openBatch(batch: PlannedBatch, deps: BatchDeliveryDependencies): Promise<{ key: string; status: BatchStatus; report: BatchReport }> {
	const key = batchRecordKey(deps.endpoint.fingerprint, batch.requests.map((request) => request.key));
	const record = await readBatchRecord(deps.records, key, deps.endpoint.provider);
	if (record) {
		const status = await existingStatus(record, deps);
		if (status) return { key, status, report: report(record, true) };
	}
	const submitStarted = deps.now();
	// Not cut short by a cancel: a batch the provider accepted but this run never recorded would be paid for again.
	// The wait that follows sees the cancel at once (and cancels the batch when asked to).
	const status = await deps.client.submit(batch.lines);
	const submitted: BatchRecord = { batchId: status.id, provider: deps.endpoint.provider, submittedAt: deps.clock.now(), requests: batch.requests.length };
	await writeBatchRecord(deps.records, key, submitted);
	await deps.persist?.();
	return { key, status, report: { ...report(submitted, false), submitMs: deps.now() - submitStarted } };
}

/** The recorded batch's status, or undefined when the provider no longer knows it (404) and it must be sent again. */
async function existingStatus(record: BatchRecord, deps: BatchDeliveryDependencies): Promise<BatchStatus | undefined> {
	try {
		return await deps.client.status(record.batchId, deps.signal);
	} catch (error) {
		if ((error as { status?: number }).status === 404) return undefined;
		throw error;
	}
}

function report(record: BatchRecord, resumed: boolean): BatchReport {
	return { batchId: record.batchId, requests: record.requests, resumed, submittedAt: record.submittedAt, costUsd: 0, savedUsd: 0 };
}

async function finishBatch(
	batch: PlannedBatch,
	key: string,
	initial: BatchStatus,
	batchReport: BatchReport,
	deadline: number,
	settings: BatchDeliverySettings,
	deps: BatchDeliveryDependencies,
	started: number,
	out: Map<number, ItemDelivery>,
): Promise<void> {
	const end = await waitForBatch(initial, deadline, settings, deps);
	if ('stopped' in end) {
		let batchCancelled = false;
		if (end.stopped === 'cancelled' && settings.cancelOnStop) {
			// The execution's own signal is aborted: the cancel goes out on the client's timeout alone.
			await deps.client.cancel(initial.id);
			await deps.records.delete(key);
			batchCancelled = true;
		}
		throw new BatchStoppedError(initial.id, end.stopped, { maxWaitMs: settings.maxWaitMs, batchCancelled });
	}
	batchReport.endedAt = deps.clock.now();
	if (end.status.phase === 'failed') {
		await deps.records.delete(key);
		throw new BatchRequestError({ batchId: end.status.id, code: 'batch_failed', providerMessage: `the provider refused the batch: ${end.status.reason ?? 'no reason given'}`, errorClass: 'client' });
	}
	const results = await deps.client.results(end.status, deps.signal);
	const totals = await deliverAnswers(batch.requests, end.status, results, settings, deps, started, out);
	batchReport.costUsd = totals.costUsd;
	batchReport.savedUsd = totals.savedUsd;
	// Answers are handed out and cached: a later run with the same items asks afresh (or hits the cache).
	await deps.records.delete(key);
}
