import type { BatchStatus } from '../providers';
import { eitherSignal } from '../shared/abortSignals';
import type { StopReason } from './batchStopped';
import type { BatchDeliveryDependencies, BatchDeliverySettings } from './types';

/** Where waiting ended: the batch finished (ended or failed), or this run stopped waiting. */
export type WaitEnd = { status: BatchStatus } | { stopped: StopReason };

const DEFAULT_MAX_POLL_INTERVAL_MS = 60_000;

/**
 * Polls a batch until it ends, with backoff (each wait half as long again as the last, up to the maximum
 * interval). Returns at once when the execution is cancelled or n8n shuts down, and when `deadline` (epoch ms)
 * passes. A status check that fails with a retryable provider error (429, 5xx, network) is tried again at the
 * next poll; any other failure is thrown.
 */
export async function waitForBatch(initial: BatchStatus, deadline: number, settings: BatchDeliverySettings, deps: BatchDeliveryDependencies): Promise<WaitEnd> {
	const maxInterval = settings.maxPollIntervalMs ?? Math.max(settings.pollIntervalMs, DEFAULT_MAX_POLL_INTERVAL_MS);
	const stopSignal = eitherSignal(deps.signal, deps.shutdown);
	let status = initial;
	let interval = settings.pollIntervalMs;
	while (status.phase === 'inProgress' || status.phase === 'cancelling') {
		const stopped = stopReason(deps);
		if (stopped) return { stopped };
		const remaining = deadline - deps.clock.now();
		if (remaining <= 0) return { stopped: 'maxWait' };
		try {
			await deps.sleep(Math.min(interval, remaining), stopSignal);
		} catch (error) {
			const reason = stopReason(deps);
			if (reason) return { stopped: reason };
			throw error;
		}
		interval = Math.min(interval * 1.5, maxInterval);
		try {
			status = await deps.client.status(status.id, stopSignal);
		} catch (error) {
			const reason = stopReason(deps);
			if (reason) return { stopped: reason };
			if ((error as { retryable?: boolean }).retryable !== true) throw error;
		}
	}
	return { status };
}

function stopReason(deps: BatchDeliveryDependencies): StopReason | undefined {
	if (deps.signal?.aborted) return 'cancelled';
	if (deps.shutdown?.aborted) return 'shutdown';
	return undefined;
}
