/* eslint-disable n8n-nodes-base/node-filename-against-convention -- the description lives beside the node class, as in n8n's own versioned nodes */
import type { INodeTypeDescription } from 'n8n-workflow';
import { batchingFields } from './batchingFields';
import { stateBackendField } from '../../shared/stateBackend';

const showForSubWorkflow = { show: { target: ['subWorkflow'] } };
const showForWebhook = { show: { target: ['webhook'] } };

export const versionDescription: INodeTypeDescription = {
	displayName: 'Batch Workflow Trigger',
	name: 'batchWorkflowTrigger',
	icon: 'file:batchWorkflowTrigger.svg',
	group: ['transform'],
	version: [1],
	defaultVersion: 1,
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
	properties: [
		{
			displayName: 'Target',
			name: 'target',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Sub-Workflow', value: 'subWorkflow', description: 'A workflow of this n8n, run in process once per batch' },
				{ name: 'Webhook URLs', value: 'webhook', description: 'Production webhook URLs of this or other n8n instances' },
			],
			default: 'subWorkflow',
		},
		{
			displayName: 'Workflow',
			name: 'workflowId',
			type: 'workflowSelector',
			default: '',
			required: true,
			hint: 'Outside manual runs n8n runs the sub-workflow\'s published version, so publish it first',
			displayOptions: showForSubWorkflow,
		},
		{
			displayName: 'Webhook URLs',
			name: 'webhookUrls',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			required: true,
			placeholder: 'e.g. https://n8n-a.example.com/webhook/process-batch',
			description: 'One URL per line (or comma-separated); batches are balanced across them, with failover',
			displayOptions: showForWebhook,
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'None', value: 'none' },
				{ name: 'Batch Webhook Auth', value: 'credential', description: 'Header or basic auth, as the receiving Webhook node expects' },
			],
			default: 'none',
			displayOptions: showForWebhook,
		},
		...batchingFields,
		stateBackendField,
	],
};
