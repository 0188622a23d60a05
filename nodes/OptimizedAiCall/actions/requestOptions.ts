import type { INodeProperties } from 'n8n-workflow';
import { timeoutOption, topPOption } from '../../shared/ai/requestFields';

export const requestOptions: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Cache System Prompt at Anthropic',
			name: 'anthropicCacheSystemPrompt',
			type: 'boolean',
			default: false,
			description:
				'Whether to mark the system prompt with cache_control so Anthropic caches it (cheaper repeated input); the output reports cache read and write tokens',
		},
		{
			displayName: 'Extra Body (JSON)',
			name: 'extraBody',
			type: 'json',
			default: '{}',
			description: 'Provider-specific fields merged into the request body, e.g. {"tools": [...]} or {"reasoning_effort": "low"}',
		},
		{
			displayName: 'Include Raw Response',
			name: 'includeRaw',
			type: 'boolean',
			default: false,
			description: 'Whether to add the provider\'s full response body to the output (not available for cached answers)',
		},
		{
			displayName: 'Seed',
			name: 'seed',
			type: 'number',
			default: 0,
			description: 'Seed for providers that support repeatable sampling; 0 sends none',
		},
		{
			displayName: 'Stop Sequences',
			name: 'stop',
			type: 'string',
			default: '',
			placeholder: 'e.g. END, ###',
			description: 'Comma-separated strings at which the model stops, or a JSON array of strings',
		},
		timeoutOption,
		topPOption,
	],
};
