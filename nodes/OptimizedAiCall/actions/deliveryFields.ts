import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { SettingsReader } from '../../shared/settings';

const showForBatch = { show: { delivery: ['providerBatch'] } };

/** How answers are obtained: one call per item now, or the provider's batch API at half price within 24 h. */
export const deliveryFields: INodeProperties[] = [
	{
		displayName: 'Delivery',
		name: 'delivery',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Immediate', value: 'immediate', description: 'One provider call per distinct item, answered at once' },
			{
				name: 'Provider Batch',
				value: 'providerBatch',
				description:
					"All items through the provider's batch API (OpenAI Batch API, Anthropic Message Batches) at half price; the provider answers within 24 hours and the node waits",
			},
		],
		default: 'immediate',
	},
	{
		displayName: 'Batch Options',
		name: 'batchOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showForBatch,
		options: [
			{
				displayName: 'Cancel Batch When Execution Stops',
				name: 'cancelOnStop',
				type: 'boolean',
				default: false,
				description:
					'Whether cancelling the execution also cancels the provider batch. Off: the batch keeps running, and running the workflow again with the same items collects its answers instead of paying again.',
			},
			{
				displayName: 'Max Wait (Hours)',
				name: 'maxWaitHours',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 48, numberPrecision: 4 },
				default: 24,
				description:
					"How long the execution waits for the batch; the providers' window is 24 hours. When it runs out the batch stays with the provider, its items fail saying so, and the next run with the same items resumes it. 0 submits and returns at once.",
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollIntervalSeconds',
				type: 'number',
				typeOptions: { minValue: 0.01, numberPrecision: 2 },
				default: 30,
				description: "First wait between two checks of the batch's status; each later wait is half as long again, up to a minute or this interval if longer",
			},
		],
	},
];

/** How the node delivers, read once for all items. */
export type DeliverySettings =
	| { mode: 'immediate' }
	| { mode: 'providerBatch'; pollIntervalMs: number; maxWaitMs: number; cancelOnStop: boolean };

export function readDelivery(context: IExecuteFunctions): DeliverySettings {
	if (context.getNodeParameter('delivery', 0, 'immediate') !== 'providerBatch') return { mode: 'immediate' };
	const options = context.getNodeParameter('batchOptions', 0, {}) as IDataObject;
	const reader = new SettingsReader(context, deliveryFields);
	const pollSeconds = reader.checkNumber('batchOptions.pollIntervalSeconds', options.pollIntervalSeconds, { fallback: 30, minimum: 0.01, maximum: 3600, whole: false });
	const maxWaitHours = reader.checkNumber('batchOptions.maxWaitHours', options.maxWaitHours, { fallback: 24, minimum: 0, maximum: 48, whole: false });
	return {
		mode: 'providerBatch',
		pollIntervalMs: Math.round(pollSeconds * 1000),
		maxWaitMs: Math.round(maxWaitHours * 3_600_000),
		cancelOnStop: options.cancelOnStop === true,
	};
}
