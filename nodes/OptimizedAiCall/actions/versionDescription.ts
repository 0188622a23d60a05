/* eslint-disable n8n-nodes-base/node-filename-against-convention -- the description lives beside the node class, as in n8n's own versioned nodes */
import type { INodeTypeDescription } from 'n8n-workflow';
import * as call from './call.operation';
import { stateFields } from '../../shared/stateBackend';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Optimized AI Call',
	name: 'optimizedAiCall',
	icon: 'file:optimizedAiCall.svg',
	group: ['transform'],
	// 1.1: the Model is picked from the provider's list (or typed as an ID).
	version: [1, 1.1],
	defaultVersion: 1.1,
	subtitle: '={{ $parameter["model"].value || $parameter["model"] }}',
	description: 'Call an LLM with caching, coalescing of identical calls, compression, retries and cost accounting',
	defaults: { name: 'Optimized AI Call' },
	inputs: ['main'],
	outputs: ['main'],
	usableAsTool: true,
	credentials: [
		{ name: 'optimizedAiApi', required: true },
		// Literal, not shared: n8n's lint rules read credential entries from the description's own source.
		{ name: 'perfOptimizerRedisApi', required: true, displayOptions: { show: { stateBackend: ['redis'] } }, testedBy: 'perfOptimizerRedisConnectionTest' },
	],
	properties: [...call.description, ...stateFields],
};
