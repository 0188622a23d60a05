import type { INodeProperties } from 'n8n-workflow';
import { aiCallOptimization } from '../../shared/ai/optimizationOptions';
import { modelLocatorField } from '../../shared/modelList';
import { deliveryFields } from './deliveryFields';
import { requestOptions } from './requestOptions';

const showForPrompt = { show: { promptSource: ['prompt'] } };
const showForMessages = { show: { promptSource: ['messages'] } };

/** Every field of the node's one operation, in panel order (the State Backend follows). */
export const callFields: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'string',
		default: 'gpt-4o-mini',
		required: true,
		placeholder: 'e.g. gpt-4o-mini, claude-sonnet-4-6, llama3.1',
		description: 'Model ID as the provider names it',
		// Version 1 keeps its text field, so saved workflows keep their model.
		displayOptions: { show: { '@version': [1] } },
	},
	{ ...modelLocatorField('gpt-4o-mini'), displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }] } } },
	{
		displayName: 'Prompt Source',
		name: 'promptSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Prompt', value: 'prompt', description: 'A system prompt and a user prompt' },
			{ name: 'Messages (JSON)', value: 'messages', description: 'A full list of chat messages' },
		],
		default: 'prompt',
	},
	{
		displayName: 'System Prompt',
		name: 'systemPrompt',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Instructions that apply to every item; leave empty for none',
	},
	{
		displayName: 'User Prompt',
		name: 'userPrompt',
		type: 'string',
		typeOptions: { rows: 5 },
		default: '',
		required: true,
		placeholder: 'e.g. Summarise this review in one sentence: {{ $json.review }}',
		displayOptions: showForPrompt,
	},
	{
		displayName: 'Messages',
		name: 'messages',
		type: 'json',
		default: '[\n  { "role": "user", "content": "Hello" }\n]',
		required: true,
		description: 'An array of {role, content} objects, as the OpenAI and Anthropic APIs take them',
		displayOptions: showForMessages,
	},
	{
		displayName: 'Temperature',
		name: 'temperature',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
		default: 0,
		description: 'Sampling temperature; 0 gives repeatable answers, which is what caching assumes',
	},
	{
		displayName: 'Max Tokens',
		name: 'maxTokens',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Longest answer in tokens; 0 leaves it to the provider (Anthropic then gets 1024, as it requires a value)',
	},
	{
		displayName: 'Response Format',
		name: 'responseFormat',
		type: 'options',
		options: [
			{ name: 'Text', value: 'text' },
			{
				name: 'JSON Object',
				value: 'json',
				description: 'Ask for a JSON object and parse it; an answer that is not valid JSON is an error',
			},
		],
		default: 'text',
	},
	...deliveryFields,
	requestOptions,
	aiCallOptimization,
];
