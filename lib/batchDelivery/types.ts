import type { AiCallOutcome, CacheMode } from '../aiCall';
import type { CompressionMode } from '../compression';
import type { ModelPrice } from '../pricing';
import type { BatchClient, ChatRequest, ProviderEndpoint } from '../providers';
import type { Sleep } from '../resilience';
import type { Clock } from '../shared/clock';
import type { WorkSlicer } from '../shared/yieldToEventLoop';
import type { CacheHandle, StateRecords } from '../state';

export interface BatchDeliverySettings {
	/** As for immediate calls: `readWrite` and `readOnly` serve cached answers, every mode but `readOnly` stores new ones. */
	cacheMode: CacheMode;
	cacheTtlMs: number;
	cacheNonZeroTemperature: boolean;
	persist: boolean;
	compression: CompressionMode;
	/** The model's price; null when unknown. Batch rates apply when the price has them. */
	priceFor: (model: string) => ModelPrice | null;
	/** First wait between two status checks in ms; each later wait is half as long again, up to `maxPollIntervalMs`. */
	pollIntervalMs: number;
	/** @default the larger of `pollIntervalMs` and 60 s */
	maxPollIntervalMs?: number;
	/**
	 * How long this execution waits for its batches, in ms. When it runs out, the batches stay with the provider and
	 * their items fail with a message saying so; running the workflow again with the same items resumes them.
	 */
	maxWaitMs: number;
	/** Whether cancelling the execution also cancels the provider batches it is waiting for (and forgets them). */
	cancelOnStop: boolean;
}

export interface BatchDeliveryDependencies {
	client: BatchClient;
	/** Scopes cache keys and batch records to the credential's account. */
	endpoint: ProviderEndpoint;
	cache?: CacheHandle;
	/** Where a submitted batch is recorded under the hash of its requests, so a later run resumes it. */
	records: StateRecords;
	/** Persists the records at once after a batch is submitted (the Redis backend writes through already). */
	persist?: () => Promise<unknown>;
	sleep: Sleep;
	clock: Clock;
	/** A monotonic clock in ms for latencies. */
	now: () => number;
	/** The execution's cancel signal: stop at once (and cancel the batches when `cancelOnStop`). */
	signal?: AbortSignal;
	/** Stop waiting but leave the batches with the provider, e.g. when n8n shuts down; a later run resumes them. */
	shutdown?: AbortSignal;
	slicer?: WorkSlicer;
}

/** One item to answer: its position among the node's input items and its request. */
export interface BatchItem {
	itemIndex: number;
	request: ChatRequest;
}

/** An item's answer (with the batch it came from, none when served from the cache), or why it has none. */
export type ItemDelivery = { outcome: AiCallOutcome; batchId?: string } | { error: unknown };

/** What happened to one provider batch during this run, for metrics. */
export interface BatchReport {
	batchId: string;
	/** Distinct requests in the batch. */
	requests: number;
	/** Whether an earlier run submitted it and this one picked it up. */
	resumed: boolean;
	/** How long submitting took (uploading included); undefined when resumed. */
	submitMs?: number;
	/** When the batch was submitted (epoch ms). */
	submittedAt: number;
	/** When this run saw it end (epoch ms); undefined while it is still running. */
	endedAt?: number;
	/** What the answered requests cost at batch rates, and saved against the immediate price, in USD. */
	costUsd: number;
	savedUsd: number;
}

export interface BatchDeliveryResult {
	/** By item index. */
	items: Map<number, ItemDelivery>;
	batches: BatchReport[];
}
