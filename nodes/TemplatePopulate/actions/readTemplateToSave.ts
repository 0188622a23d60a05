import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { describeValue } from '../../../lib/templates/format';
import type { TemplateFormat } from '../../../lib/templates/library';

/** What Save Template stores, typed; the library checks lengths and the ID's characters. */
export interface TemplateToSave {
	id: string;
	name?: string;
	description: string;
	tags: string | string[];
	required: string | string[];
	format: TemplateFormat;
	body: string;
}

/** The display label of each template field, for errors about it. */
export const SAVE_FIELD_LABELS: Readonly<Record<string, string>> = {
	id: 'Template ID',
	name: 'Name',
	description: 'Description',
	tags: 'Tags',
	required: 'Required Fields',
	format: 'Format',
	body: 'Template',
};

/**
 * Reads one item's Save Template fields. Expressions can hand over anything; nothing is turned into text with
 * `String()`, which would save the ID "undefined" or the body "[object Object]": ID and Template must be text that
 * is not empty, the optional fields text (or, for lists, an array of text) or nothing.
 */
export function readTemplateToSave(context: IExecuteFunctions, itemIndex: number): TemplateToSave {
	const fail = (name: string, problem: string) =>
		new NodeOperationError(context.getNode(), `Item ${itemIndex}: '${SAVE_FIELD_LABELS[name]}' ${problem}`, { itemIndex });
	// The fallback only stands in for a parameter the node does not have; an expression's result comes as it is.
	const read = (parameter: string) => context.getNodeParameter(parameter, itemIndex, '') as unknown;
	const requiredText = (parameter: string, name: string): string => {
		const value = read(parameter);
		if (value === undefined || value === null || value === '') throw fail(name, 'is empty');
		if (typeof value !== 'string') throw fail(name, `must be text, got ${describeValue(value)}`);
		if (value.trim() === '') throw fail(name, 'is empty');
		return value;
	};
	const optionalText = (parameter: string, name: string): string | undefined => {
		const value = read(parameter);
		if (value === undefined || value === null) return undefined;
		if (typeof value !== 'string') throw fail(name, `must be text, got ${describeValue(value)}`);
		return value;
	};
	const list = (parameter: string, name: string): string | string[] => {
		const value = read(parameter);
		if (value === undefined || value === null) return [];
		if (typeof value === 'string') return value;
		if (Array.isArray(value)) {
			const index = value.findIndex((entry) => typeof entry !== 'string');
			if (index < 0) return value as string[];
			throw fail(name, `must be a comma-separated text or a list of text, got ${describeValue(value[index])} at position ${index + 1}`);
		}
		throw fail(name, `must be a comma-separated text or a list of text, got ${describeValue(value)}`);
	};
	const name = optionalText('saveName', 'name')?.trim();
	return {
		id: requiredText('saveId', 'id').trim(),
		name: name === '' ? undefined : name,
		description: optionalText('saveDescription', 'description') ?? '',
		tags: list('saveTags', 'tags'),
		required: list('saveRequired', 'required'),
		format: (optionalText('saveFormat', 'format') ?? 'text') as TemplateFormat,
		body: requiredText('saveBody', 'body'),
	};
}
