import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { MappingRule, Transform } from '../../../lib/templates/mapping';
import type { TemplateFormat } from '../../../lib/templates/render';
import { SettingsReader } from '../../shared/settings';

/** Populate's node-level settings, read once from the first item. */
export interface PopulateSettings {
	source: 'inline' | 'field' | 'library';
	outputFormat: 'auto' | TemplateFormat;
	autoMap: boolean;
	rules: MappingRule[];
	strict: boolean;
	outputField: string;
	includeTemplateInfo: boolean;
	asFile: boolean;
	binaryPropertyName: string;
	maxTemplateBytes: number;
	maxOutputBytes: number;
}

/** `fields` are Populate's own, where errors find the labels of its options. */
export function readPopulateSettings(context: IExecuteFunctions, fields: INodeProperties[]): PopulateSettings {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const rawRules = (context.getNodeParameter('mapping', 0, {}) as { rules?: IDataObject[] }).rules ?? [];
	const rules = rawRules.map((rule, index): MappingRule => {
		const variable = String(rule.variable ?? '').trim();
		const path = String(rule.path ?? '').trim();
		if (!variable || !path) {
			throw new NodeOperationError(context.getNode(), `Field Mapping rule ${index + 1} needs both a Template Variable and an Item Path`, { itemIndex: 0 });
		}
		const entry: MappingRule = { variable, path, transform: (rule.transform as Transform) ?? 'none' };
		if (rule.format) entry.format = String(rule.format);
		if (rule.defaultValue !== undefined && rule.defaultValue !== '') entry.default = parseDefault(String(rule.defaultValue));
		return entry;
	});
	const reader = new SettingsReader(context, fields);
	const kilobytes = (name: string, fallback: number) =>
		Math.floor(reader.checkNumber(`options.${name}`, options[name] ?? undefined, { fallback, minimum: 1, whole: false }) * 1024);
	return {
		source: context.getNodeParameter('templateSource', 0, 'inline') as PopulateSettings['source'],
		outputFormat: context.getNodeParameter('outputFormat', 0, 'auto') as PopulateSettings['outputFormat'],
		autoMap: context.getNodeParameter('autoMap', 0, true) as boolean,
		rules,
		strict: options.strict !== false,
		outputField: String(options.outputField ?? 'text') || 'text',
		includeTemplateInfo: options.includeTemplateInfo !== false,
		asFile: options.asFile === true,
		binaryPropertyName: String(options.binaryPropertyName ?? 'data') || 'data',
		maxTemplateBytes: kilobytes('maxTemplateKb', 256),
		maxOutputBytes: kilobytes('maxOutputKb', 5120),
	};
}

/** A default value is JSON when it parses as JSON (numbers, true, objects), otherwise the text itself. */
function parseDefault(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}
