import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { SettingsReader } from '../../shared/settings';
import { readText } from '../../shared/textParameter';
import { batchingFields } from './batchingFields';

export interface BatchSettings {
	target: 'subWorkflow' | 'webhook';
	/** Sub-workflow target only: size batches from the measured cost (see batchSizing.ts). */
	adaptiveSizing: boolean;
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
	const reader = new SettingsReader(context, batchingFields);
	const whole = (path: string, value: unknown, fallback: number, minimum: number, maximum = Number.MAX_SAFE_INTEGER) =>
		reader.checkNumber(path, value, { fallback, minimum, maximum });
	const mode = context.getNodeParameter('mode', 0, 'wait');
	const text = (value: unknown, field: string) =>
		readText(value, (problem) => new NodeOperationError(context.getNode(), `'${field}' ${problem}`, { itemIndex: 0 })).trim();
	const correlationField = text(options.correlationField ?? '_batchItem', 'Correlation Field');
	if (!correlationField) throw new NodeOperationError(context.getNode(), "'Correlation Field' is empty", { itemIndex: 0 });
	const groupBy = text(options.groupBy, 'Group By Field');
	return {
		target: context.getNodeParameter('target', 0, 'subWorkflow') === 'webhook' ? 'webhook' : 'subWorkflow',
		adaptiveSizing: context.getNodeParameter('target', 0, 'subWorkflow') !== 'webhook' && context.getNodeParameter('batchSizing', 0, 'fixed') === 'auto',
		batchSize: whole('batchSize', context.getNodeParameter('batchSize', 0, 100), 100, 1),
		maxBatchBytes: whole('options.maxBatchKb', options.maxBatchKb, 1024, 1) * 1024,
		groupBy: groupBy || undefined,
		maxInFlight: whole('maxInFlight', context.getNodeParameter('maxInFlight', 0, 4), 4, 1, 64),
		waitForResults: mode !== 'fireAndForget',
		perBatchOutput: context.getNodeParameter('output', 0, 'perItem') === 'perBatch',
		correlationField,
		maxAttempts: whole('options.maxAttempts', options.maxAttempts, 3, 1, 10),
		loadBalancing: options.loadBalancing === 'leastPending' ? 'leastPending' : 'roundRobin',
		activeHealthCheck: options.activeHealthCheck === true,
		failureThreshold: whole('options.failureThreshold', options.failureThreshold, 3, 1),
		cooldownMs: whole('options.cooldownSeconds', options.cooldownSeconds, 30, 1) * 1000,
		gzipThresholdBytes: whole('options.gzipThresholdBytes', options.gzipThresholdBytes, 1024, 0),
		timeoutMs: whole('options.timeoutMs', options.timeoutMs, 60_000, 1),
		resultCache: options.resultCache === true,
		resultCacheTtlMs: whole('options.resultCacheTtlSeconds', options.resultCacheTtlSeconds, 3600, 1) * 1000,
	};
}
