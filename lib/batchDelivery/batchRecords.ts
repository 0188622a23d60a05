import type { ProviderKind } from '../providers';
import { sha256Hex } from '../shared/canonicalJson';
import { isPlainObject } from '../shared/json';
import type { StateRecords } from '../state';

const RECORD_PREFIX = 'aiBatch:';

/** What the workflow's state keeps of a submitted batch: enough to find it again, nothing of the prompts. */
export interface BatchRecord {
	batchId: string;
	provider: ProviderKind;
	submittedAt: number;
	requests: number;
}

/**
 * The record key of a batch: a hash of the account and of its requests' keys in order, so the same items sent
 * again on the same credential find the batch an earlier run submitted.
 */
export function batchRecordKey(fingerprint: string, requestKeys: readonly string[]): string {
	return RECORD_PREFIX + sha256Hex(`${fingerprint}|${requestKeys.join(',')}`).slice(0, 40);
}

export async function readBatchRecord(records: StateRecords, key: string, provider: ProviderKind): Promise<BatchRecord | undefined> {
	const value = (await records.get(key))?.value;
	if (!isPlainObject(value) || typeof value.batchId !== 'string' || value.provider !== provider) return undefined;
	return { batchId: value.batchId, provider, submittedAt: Number(value.submittedAt) || 0, requests: Number(value.requests) || 0 };
}

export async function writeBatchRecord(records: StateRecords, key: string, record: BatchRecord): Promise<void> {
	await records.set(key, { ...record });
}
