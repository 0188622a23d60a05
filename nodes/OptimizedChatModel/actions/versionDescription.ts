/* eslint-disable n8n-nodes-base/node-filename-against-convention -- the description lives beside the node class, as in n8n's own versioned nodes */
import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { chatModelOptimization } from '../../shared/ai/optimizationOptions';
import { modelLocatorField } from '../../shared/modelList';
import { stateFields } from '../../shared/stateBackend';
import { modelOptions } from './modelOptions';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Optimized Chat Model',
	name: 'optimizedChatModel',
	icon: 'file:optimizedChatModel.svg',
	group: ['transform'],
	version: [1],
	defaultVersion: 1,
	subtitle: '={{ $parameter["model"].value || $parameter["model"] }}',
	description: 'Chat model for the AI Agent and chains, with a response cache, coalescing of identical calls, retries that honour Retry-After and cost accounting',
	defaults: { name: 'Optimized Chat Model' },
	inputs: [],
	// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong -- a sub-node's output is the model it supplies, not main
	outputs: [NodeConnectionTypes.AiLanguageModel],
	outputNames: ['Model'],
	credentials: [
		{ name: 'optimizedAiApi', required: true },
		// Literal, not shared: n8n's lint rules read credential entries from the description's own source.
		{ name: 'perfOptimizerRedisApi', required: true, displayOptions: { show: { stateBackend: ['redis'] } }, testedBy: 'perfOptimizerRedisConnectionTest' },
	],
	properties: [
		{
			displayName: 'Connect this node to the Chat Model input of an AI Agent, Basic LLM Chain or another AI root node',
			name: 'connectionNotice',
			type: 'notice',
			default: '',
		},
		modelLocatorField('gpt-4o-mini'),
		modelOptions,
		chatModelOptimization,
		...stateFields,
	],
};
