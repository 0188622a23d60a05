import type { INodeProperties } from 'n8n-workflow';

/** Options both AI nodes offer for their requests, defined once so they read and behave the same. */

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Ms)',
	name: 'timeoutMs',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 60000,
	description: 'How long one request may take before it counts as failed (and is retried); 0 waits forever',
};

export const topPOption: INodeProperties = {
	displayName: 'Top P',
	name: 'topP',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
	default: 1,
	description: 'Nucleus sampling; 1 sends none',
};
