import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { readText } from '../../shared/textParameter';

export interface BatchSettings {
	target: 'subWorkflow' | 'webhook';
	batchSize: number;
	maxBatchBytes: number;
	groupBy?: string;
	maxInFlight: number;
	waitForResults: boolean;
	perBatchOutput: boolean;
	correlationField: string;
	maxAttempts: number;
	loadBalancing: 'roundRobin' | 'leastPending';
	activeHealthCheck: boolean;
	failureThreshold: number;
	cooldownMs: number;
	gzipThresholdBytes: number;
	timeoutMs: number;
	resultCache: boolean;
	resultCacheTtlMs: number;
}

/** Node-level settings, read once: they shape batches and connections shared by all items. */
export function readSettings(context: IExecuteFunctions): BatchSettings {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const whole = (name: string, value: unknown, fallback: number, minimum: number, maximum = Number.MAX_SAFE_INTEGER) => {
		const number = value === undefined ? fallback : Number(value);
		if (!Number.isInteger(number) || number < minimum || number > maximum) {
			throw new NodeOperationError(context.getNode(), `'${name}' must be a whole number from ${minimum} to ${maximum}, got ${String(value)}`, { itemIndex: 0 });
		}
		return number;
	};
	const mode = context.getNodeParameter('mode', 0, 'wait');
	const text = (value: unknown, field: string) =>
		readText(value, (problem) => new NodeOperationError(context.getNode(), `'${field}' ${problem}`, { itemIndex: 0 })).trim();
	const correlationField = text(options.correlationField ?? '_batchItem', 'Correlation Field');
	if (!correlationField) throw new NodeOperationError(context.getNode(), "'Correlation Field' is empty", { itemIndex: 0 });
	const groupBy = text(options.groupBy, 'Group By Field');
	return {
		target: context.getNodeParameter('target', 0, 'subWorkflow') === 'webhook' ? 'webhook' : 'subWorkflow',
		batchSize: whole('Items per Batch', context.getNodeParameter('batchSize', 0, 100), 100, 1),
		maxBatchBytes: whole('Max Batch Size (KB)', options.maxBatchKb, 1024, 1) * 1024,
		groupBy: groupBy || undefined,
		maxInFlight: whole('Batches in Flight', context.getNodeParameter('maxInFlight', 0, 4), 4, 1, 64),
		waitForResults: mode !== 'fireAndForget',
		perBatchOutput: context.getNodeParameter('output', 0, 'perItem') === 'perBatch',
		correlationField,
		maxAttempts: whole('Max Attempts', options.maxAttempts, 3, 1, 10),
		loadBalancing: options.loadBalancing === 'leastPending' ? 'leastPending' : 'roundRobin',
		activeHealthCheck: options.activeHealthCheck === true,
		failureThreshold: whole('Failures Before Ejection', options.failureThreshold, 3, 1),
		cooldownMs: whole('Ejection Cooldown (Seconds)', options.cooldownSeconds, 30, 1) * 1000,
		gzipThresholdBytes: whole('Gzip Above (Bytes)', options.gzipThresholdBytes, 1024, 0),
		timeoutMs: whole('Timeout (Ms)', options.timeoutMs, 60_000, 1),
		resultCache: options.resultCache === true,
		resultCacheTtlMs: whole('Cache TTL (Seconds)', options.resultCacheTtlSeconds, 3600, 1) * 1000,
	};
}
