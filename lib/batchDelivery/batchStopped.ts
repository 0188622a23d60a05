import type { ErrorClass } from '../metrics';

/** Why this run stopped waiting for a batch that the provider still has. */
export type StopReason = 'maxWait' | 'shutdown' | 'cancelled';

/**
 * The items of a batch this run did not wait out. Unless the batch was cancelled with the execution, it stays
 * with the provider and is recorded: running the workflow again with the same items collects its answers.
 */
export class BatchStoppedError extends Error {
	override name = 'BatchStoppedError';
	readonly errorClass: ErrorClass;
	readonly description: string;

	constructor(
		readonly batchId: string,
		readonly reason: StopReason,
		details: { maxWaitMs?: number; batchCancelled?: boolean },
	) {
		super(
			reason === 'maxWait'
				? `The provider batch ${batchId} was still in progress after the maximum wait of ${formatDuration(details.maxWaitMs ?? 0)}`
				: reason === 'shutdown'
					? `n8n is shutting down while the provider batch ${batchId} is in progress`
					: `The execution was cancelled while waiting for the provider batch ${batchId}`,
		);
		this.errorClass = reason === 'maxWait' ? 'timeout' : 'cancelled';
		this.description = details.batchCancelled
			? 'The provider batch was cancelled with the execution; running the workflow again submits a new one.'
			: 'The batch stays with the provider, which answers it within its 24-hour window. Run the workflow again with the same items to collect its answers: it resumes this batch instead of submitting (and paying for) a new one.';
	}
}

function formatDuration(ms: number): string {
	if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
	if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
	return `${Math.round(ms / 100) / 10} s`;
}
