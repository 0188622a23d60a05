/* eslint-disable n8n-nodes-base/node-filename-against-convention -- the description lives beside the node class, as in n8n's own versioned nodes */
import type { INodeTypeDescription } from 'n8n-workflow';
import * as dispatch from './dispatch.operation';
import { stateFields } from '../../shared/stateBackend';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Batch Workflow Trigger',
	name: 'batchWorkflowTrigger',
	icon: 'file:batchWorkflowTrigger.svg',
	group: ['transform'],
	version: [1, 1.1],
	defaultVersion: 1.1,
	subtitle: '={{ $parameter["target"] === "webhook" ? "to webhooks" : "to a sub-workflow" }}',
	description: 'Send items in batches to a sub-workflow or to n8n webhook URLs, several at once, and map the results back',
	defaults: { name: 'Batch Workflow Trigger' },
	inputs: ['main'],
	outputs: ['main'],
	credentials: [
		{ name: 'batchWebhookAuthApi', required: false, displayOptions: { show: { target: ['webhook'], authentication: ['credential'] } } },
		// Literal, not shared: n8n's lint rules read credential entries from the description's own source.
		{ name: 'perfOptimizerRedisApi', required: true, displayOptions: { show: { stateBackend: ['redis'] } }, testedBy: 'perfOptimizerRedisConnectionTest' },
	],
	properties: [...dispatch.description, ...stateFields],
};
