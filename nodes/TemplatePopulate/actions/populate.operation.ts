import { performance } from 'node:perf_hooks';
import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { UNIT_OPERATIONS, type CacheOutcome } from '../../../lib/metrics';
import { applyMappingPlan, LastPlanMemo, parseItemPath } from '../../../lib/templates/mapping';
import type { CompiledTemplate, TemplateFormat } from '../../../lib/templates/render';
import { compileUsableTemplate } from '../../../lib/templates/usableTemplate';
import type { StateStore } from '../../../lib/state';
import { inContext } from '../../shared/errors';
import { runItems } from '../../shared/itemRunner';
import type { OperationContext, OperationResult } from '../../shared/operation';
import { ItemParameters } from '../../shared/parameters';
import { readPopulateSettings } from './populateSettings';
import { compiledTemplates, mappingPlans } from './processCaches';
import { resolveTemplate } from './resolveTemplate';
import { loadLibrary, type LoadedLibrary } from './templateLibrary';

const EXTENSIONS: Record<TemplateFormat, { extension: string; mimeType: string }> = {
	html: { extension: 'html', mimeType: 'text/html' },
	markdown: { extension: 'md', mimeType: 'text/markdown' },
	text: { extension: 'txt', mimeType: 'text/plain' },
};

const showForPopulate = { show: { operation: ['populate'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Template Source',
		name: 'templateSource',
		type: 'options',
		options: [
			{ name: 'Inline', value: 'inline', description: 'The template written here' },
			{ name: 'From Item Field', value: 'field', description: 'Each item carries its template (treated as untrusted)' },
			{ name: 'From Library', value: 'library', description: 'A template from the workflow library or a folder, by ID or name' },
		],
		default: 'inline',
		displayOptions: showForPopulate,
	},
	{
		displayName: 'Template',
		name: 'template',
		type: 'string',
		typeOptions: { rows: 8 },
		default: 'Hello {{first_name}}, your order {{order_id}} ships on {{formatDate ship_date "d MMMM yyyy"}}.',
		description: 'Handlebars syntax: {{variable}}, {{#each list}}...{{/each}}, {{#if x}}...{{/if}} and the helpers formatDate, formatNumber, upper, lower, default and eq, plus one that writes a value as JSON',
		displayOptions: { show: { operation: ['populate'], templateSource: ['inline'] } },
	},
	{
		displayName: 'Template Field',
		name: 'templateField',
		type: 'string',
		default: 'template',
		description: 'Path of the field holding the template, e.g. template or email.body',
		displayOptions: { show: { operation: ['populate'], templateSource: ['field'] } },
	},
	{
		displayName: 'Template ID or Name',
		name: 'templateId',
		type: 'string',
		default: '',
		required: true,
		description: 'Looked up by ID first, then by name (case-insensitive); a name several templates share is an error listing their IDs',
		displayOptions: { show: { operation: ['populate'], templateSource: ['library'] } },
	},
	{
		displayName: 'Output Format',
		name: 'outputFormat',
		type: 'options',
		options: [
			{ name: 'From Template', value: 'auto', description: 'The library template\'s format; text for inline and item templates' },
			{ name: 'HTML', value: 'html', description: 'Values are HTML-escaped' },
			{ name: 'Markdown', value: 'markdown', description: 'Values are inserted as they are' },
			{ name: 'Text', value: 'text', description: 'Values are inserted as they are' },
		],
		default: 'auto',
		displayOptions: showForPopulate,
	},
	{
		displayName: 'Map Fields Automatically',
		name: 'autoMap',
		type: 'boolean',
		default: true,
		description: 'Whether template variables take the item field of the same name, ignoring case, _, - and spaces (first_name matches firstName)',
		displayOptions: showForPopulate,
	},
	{
		displayName: 'Field Mapping',
		name: 'mapping',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Mapping Rule',
		default: {},
		description: 'Explicit rules; they win over automatic mapping',
		displayOptions: showForPopulate,
		options: [
			{
				displayName: 'Rule',
				name: 'rules',
				values: [
					{ displayName: 'Template Variable', name: 'variable', type: 'string', default: '', placeholder: 'e.g. customer_name' },
					{
						displayName: 'Item Path',
						name: 'path',
						type: 'string',
						default: '',
						placeholder: 'e.g. customer.name or lines[0].sku',
						description: 'Dot or bracket notation into the item',
					},
					{ displayName: 'Default Value', name: 'defaultValue', type: 'string', default: '', description: 'Used when the path has no value; empty means none' },
					{
						displayName: 'Transform',
						name: 'transform',
						type: 'options',
						options: [
							{ name: 'Date', value: 'date' },
							{ name: 'JSON', value: 'json' },
							{ name: 'Lower Case', value: 'lower' },
							{ name: 'None', value: 'none' },
							{ name: 'Number', value: 'number' },
							{ name: 'Title Case', value: 'titleCase' },
							{ name: 'Trim', value: 'trim' },
							{ name: 'Upper Case', value: 'upper' },
						],
						default: 'none',
					},
					{
						displayName: 'Format',
						name: 'format',
						type: 'string',
						default: '',
						placeholder: 'e.g. dd.MM.yyyy|Europe/Berlin or de-DE:2',
						description: 'For Date: a Luxon format, optionally |zone; for Number: decimals, optionally locale:decimals',
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showForPopulate,
		options: [
			{
				displayName: 'Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'Binary field for the file, when Output as File is on',
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'e.g. invoice-{{ $json.order_id }}.html',
				description: 'Name of the output file; defaults to the template ID with the extension of the format',
			},
			{ displayName: 'Include Template Info', name: 'includeTemplateInfo', type: 'boolean', default: true, description: 'Whether to add _template {ID, version, missing, renderMs} to each item' },
			{ displayName: 'Max Output Size (KB)', name: 'maxOutputKb', type: 'number', typeOptions: { minValue: 1 }, default: 5120 },
			{ displayName: 'Max Template Size (KB)', name: 'maxTemplateKb', type: 'number', typeOptions: { minValue: 1 }, default: 256 },
			{ displayName: 'Output as File', name: 'asFile', type: 'boolean', default: false, description: 'Whether to also attach the result as a binary file (.html, .md or .txt) for download or e-mail' },
			{ displayName: 'Output Field', name: 'outputField', type: 'string', default: 'text', description: 'The field that receives the rendered text' },
			{
				displayName: 'Strict',
				name: 'strict',
				type: 'boolean',
				default: true,
				description: 'Whether a variable the template uses but the item lacks is an error (otherwise it renders empty)',
			},
		],
	},
];

/**
 * Renders one output item per input item: resolve the template, map the item's fields onto its variables,
 * render. Compiled templates and mapping plans are cached per process; items that share a shape reuse the
 * previous item's plan without even a cache lookup.
 */
export async function execute({ context, store }: OperationContext): Promise<OperationResult> {
	const node = context.getNode();
	const settings = readPopulateSettings(context, description);
	const parameters = new ItemParameters(context);
	const templates = compiledTemplates(store.process);
	const plans = new LastPlanMemo(mappingPlans(store.process));
	const library: LoadedLibrary | undefined = settings.source === 'library' ? await loadLibrary(context, store) : undefined;
	const templatePath = settings.source === 'field' ? parseItemPath(String(parameters.get('templateField', 0, 'template'))) : undefined;
	// Items usually share one template: reuse the last compile while the source text and format are the same,
	// skipping even the hash of the source that a cache lookup needs.
	let last: { source: string; format: TemplateFormat; template: CompiledTemplate } | undefined;

	const output = await runItems({ context, store, unitOperation: UNIT_OPERATIONS.populatedItem }, async (itemIndex, item, started) => {
		let label = 'template';
		try {
			const resolved = resolveTemplate(context, parameters, settings, library, templatePath, item, itemIndex);
			label = resolved.label;
			const format: TemplateFormat = settings.outputFormat === 'auto' ? (resolved.document?.format ?? 'text') : settings.outputFormat;
			const discovered = performance.now();
			let template: CompiledTemplate;
			let hit = true;
			if (last !== undefined && last.source === resolved.source && last.format === format) {
				template = last.template;
			} else {
				({ template, hit } = compileUsableTemplate(templates, resolved.source, { format, strict: settings.strict, maxTemplateBytes: settings.maxTemplateBytes }));
				last = { source: resolved.source, format, template };
			}
			const planned = plans.planFor({ templateHash: template.hash, variables: template.variables, rules: settings.rules, autoMap: settings.autoMap }, item.json);
			const mapped = applyMappingPlan(planned.plan, item.json);
			const required = settings.strict ? mapped.missing : mapped.missing.filter((name) => resolved.document?.required.includes(name));
			if (required.length > 0) {
				throw new NodeOperationError(node, `Item ${itemIndex}: ${label} needs '${required[0]}', which the item does not have`, {
					itemIndex,
					description: `Missing: ${required.join(', ')}. Add the field to the item, map it under Field Mapping, give it a default, or turn off Strict.`,
				});
			}
			const mappedAt = performance.now();
			const text = template.render(mapped.data, { maxOutputBytes: settings.maxOutputBytes });
			const renderedAt = performance.now();

			const json: IDataObject = { [settings.outputField]: text };
			if (settings.includeTemplateInfo) {
				json._template = {
					id: resolved.document?.id ?? null,
					version: resolved.document?.version ?? template.hash.slice(0, 12),
					missing: [...mapped.missing],
					renderMs: Math.round((renderedAt - mappedAt) * 1000) / 1000,
				};
			}
			const outputItem: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
			if (settings.asFile) {
				const { extension, mimeType } = EXTENSIONS[format];
				const named = String(parameters.get('options.fileName', itemIndex, '') ?? '').trim();
				const fileName = named || `${resolved.document?.id ?? 'document'}-${itemIndex}.${extension}`;
				outputItem.binary = { [settings.binaryPropertyName]: await context.helpers.prepareBinaryData(Buffer.from(text, 'utf8'), fileName, mimeType) };
			}
			// The populated item is the unit of work; its cache outcome is the compiled template's. The steps are
			// sub-operations, recorded for the breakdown.
			record(store, node, UNIT_OPERATIONS.populatedItem, performance.now() - started, hit ? 'hit' : 'miss', true);
			record(store, node, 'discover', discovered - started, undefined, library !== undefined);
			record(store, node, 'map', mappedAt - discovered, planned.outcome === 'miss' ? 'miss' : 'hit', true);
			record(store, node, 'render', renderedAt - mappedAt, hit ? 'hit' : 'miss', true);
			return outputItem;
		} catch (error) {
			throw inContext(error, `Item ${itemIndex}: ${label}`);
		}
	});
	return [output];
}

function record(store: StateStore, node: { type: string; name: string }, operation: string, durationMs: number, cache: CacheOutcome | undefined, when: boolean): void {
	if (when) store.metrics.record({ nodeType: node.type, nodeName: node.name, operation, durationMs, cache });
}
