import type { ResultCacheTarget } from '../../../lib/dispatch/batches';

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
