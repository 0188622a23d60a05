import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { timeoutOption, topPOption } from '../../shared/ai/requestFields';
import { SettingsReader, type SettingsContext } from '../../shared/settings';
import type { ModelParameters } from './conversation';

/** The model's own parameters, as n8n's chat models offer them; only those the user adds are sent. */
export const modelOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Maximum Number of Tokens',
			name: 'maxTokens',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1024,
			description: 'The most tokens the answer may have (Anthropic requires a limit: 4096 when not set)',
		},
		{
			displayName: 'Sampling Temperature',
			name: 'temperature',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 1 },
			default: 0.7,
			description: 'Randomness of the answer; 0 is the most repeatable. Whether answers above 0 are cached is set under Optimization.',
		},
		timeoutOption,
		topPOption,
	],
};

export interface ModelOptions {
	parameters: ModelParameters;
	timeoutMs: number;
}

/** Reads and checks the Options; an out-of-range value fails naming the option by its label. */
export function readModelOptions(context: SettingsContext, itemIndex: number, model: string): ModelOptions {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const reader = new SettingsReader(context, [modelOptions], itemIndex);
	const optional = (name: string, minimum: number, maximum: number, whole: boolean): number | undefined =>
		options[name] === undefined ? undefined : reader.checkNumber(`options.${name}`, options[name], { fallback: 0, minimum, maximum, whole });
	const parameters: ModelParameters = { model };
	const temperature = optional('temperature', 0, 2, false);
	const maxTokens = optional('maxTokens', 1, Number.MAX_SAFE_INTEGER, true);
	const topP = optional('topP', 0, 1, false);
	if (temperature !== undefined) parameters.temperature = temperature;
	if (maxTokens !== undefined) parameters.maxTokens = maxTokens;
	if (topP !== undefined && topP !== 1) parameters.topP = topP;
	return { parameters, timeoutMs: optional('timeoutMs', 0, Number.MAX_SAFE_INTEGER, true) ?? 60_000 };
}
