import { performance } from 'node:perf_hooks';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { UNIT_OPERATIONS, type CacheOutcome } from '../../../lib/metrics';
import { WorkSlicer } from '../../../lib/shared/yieldToEventLoop';
import { applyMappingPlan, LastPlanMemo, parseItemPath, readPath, type MappingRule, type Transform } from '../../../lib/templates/mapping';
import type { CompiledTemplate, TemplateFormat } from '../../../lib/templates/render';
import type { TemplateDocument } from '../../../lib/templates/library';
import { compileUsableTemplate } from '../../../lib/templates/usableTemplate';
import type { StateStore } from '../../../lib/state';
import { errorClassOf, errorItem, toNodeError } from '../../shared/errors';
import { ItemParameters } from '../../shared/parameters';
import { compiledTemplates, mappingPlans } from './processCaches';
import { findByIdOrName, loadLibrary, type LoadedLibrary } from './templateLibrary';

const EXTENSIONS: Record<TemplateFormat, { extension: string; mimeType: string }> = {
	html: { extension: 'html', mimeType: 'text/html' },
	markdown: { extension: 'md', mimeType: 'text/markdown' },
	text: { extension: 'txt', mimeType: 'text/plain' },
};

/** Candidates an ambiguous-name error lists by ID. */
const MAX_LISTED_CANDIDATES = 10;

interface PopulateSettings {
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

function readSettings(context: IExecuteFunctions): PopulateSettings {
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
	const kilobytes = (name: string, fallback: number) => {
		const value = Number(options[name] ?? fallback);
		if (!(value >= 1)) throw new NodeOperationError(context.getNode(), `Option '${name}' must be at least 1`, { itemIndex: 0 });
		return Math.floor(value * 1024);
	};
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

interface ResolvedTemplate {
	source: string;
	label: string;
	document?: TemplateDocument;
}

/**
 * Renders one output item per input item: resolve the template, map the item's fields onto its variables,
 * render. Compiled templates and mapping plans are cached per process; items that share a shape reuse the
 * previous item's plan without even a cache lookup.
 */
export async function populate(context: IExecuteFunctions, store: StateStore, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const node = context.getNode();
	const settings = readSettings(context);
	const parameters = new ItemParameters(context);
	const templates = compiledTemplates(store.process);
	const plans = new LastPlanMemo(mappingPlans(store.process));
	const library: LoadedLibrary | undefined = settings.source === 'library' ? await loadLibrary(context, store) : undefined;
	const templatePath = settings.source === 'field' ? parseItemPath(String(parameters.get('templateField', 0, 'template'))) : undefined;
	const output: INodeExecutionData[] = [];
	// Items usually share one template: reuse the last compile while the source text and format are the same,
	// skipping even the hash of the source that a cache lookup needs.
	let last: { source: string; format: TemplateFormat; template: CompiledTemplate } | undefined;

	// Thousands of items render in one synchronous loop otherwise; give n8n's other requests a turn between slices.
	const slicer = new WorkSlicer();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		await slicer.maybeYield();
		const item = items[itemIndex];
		const started = performance.now();
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
			output.push(outputItem);
			// The populated item is the unit of work; its cache outcome is the compiled template's. The steps are
			// sub-operations, recorded for the breakdown.
			record(store, node, UNIT_OPERATIONS.populatedItem, performance.now() - started, hit ? 'hit' : 'miss', true);
			record(store, node, 'discover', discovered - started, undefined, library !== undefined);
			record(store, node, 'map', mappedAt - discovered, planned.outcome === 'miss' ? 'miss' : 'hit', true);
			record(store, node, 'render', renderedAt - mappedAt, hit ? 'hit' : 'miss', true);
		} catch (error) {
			const nodeError = toNodeError(node, withItemContext(error, itemIndex, label), itemIndex);
			store.metrics.record({ nodeType: node.type, nodeName: node.name, operation: UNIT_OPERATIONS.populatedItem, durationMs: performance.now() - started, outcome: errorClassOf(error) });
			if (!context.continueOnFail()) throw nodeError;
			output.push(errorItem(node, nodeError, itemIndex, errorClassOf(error)));
		}
	}
	return [output];
}

function record(store: StateStore, node: { type: string; name: string }, operation: string, durationMs: number, cache: CacheOutcome | undefined, when: boolean): void {
	if (when) store.metrics.record({ nodeType: node.type, nodeName: node.name, operation, durationMs, cache });
}

/** Engine errors say what went wrong; users also need to know which item and which template. */
function withItemContext(error: unknown, itemIndex: number, label: string): unknown {
	if (error instanceof NodeOperationError || !(error instanceof Error)) return error;
	const described = error as Error & { description?: string; errorClass?: string };
	return Object.assign(new Error(`Item ${itemIndex}: ${label}: ${error.message}`), {
		description: described.description,
		errorClass: 'validation',
	});
}

function resolveTemplate(
	context: IExecuteFunctions,
	parameters: ItemParameters,
	settings: PopulateSettings,
	library: LoadedLibrary | undefined,
	templatePath: string[] | undefined,
	item: INodeExecutionData,
	itemIndex: number,
): ResolvedTemplate {
	const fail = (message: string) => new NodeOperationError(context.getNode(), `Item ${itemIndex}: ${message}`, { itemIndex });
	if (settings.source === 'inline') {
		const source = parameters.get<string>('template', itemIndex, '');
		if (typeof source !== 'string' || source.trim() === '') throw fail("'Template' is empty");
		return { source, label: 'the inline template' };
	}
	if (settings.source === 'field') {
		const source = readPath(item.json, templatePath ?? []);
		const field = String(parameters.get('templateField', itemIndex, 'template'));
		if (typeof source !== 'string' || source.trim() === '') throw fail(`the item has no template text in field '${field}'`);
		return { source, label: `the template in field '${field}'` };
	}
	const reference = String(parameters.get('templateId', itemIndex, '') ?? '').trim();
	if (!reference) throw fail("'Template ID or Name' is empty");
	const found = findByIdOrName(library!, reference);
	if (found.length > 1) {
		const listed = found.slice(0, MAX_LISTED_CANDIDATES).map((candidate) => `'${candidate.id}'`);
		const more = found.length > listed.length ? ` and ${found.length - listed.length} more` : '';
		throw new NodeOperationError(
			context.getNode(),
			`Item ${itemIndex}: the name '${reference}' matches ${found.length} templates in the ${library!.kind} library: ${listed.join(', ')}${more}`,
			{ itemIndex, description: "Put the ID of the one you mean under 'Template ID or Name', or give the templates distinct names." },
		);
	}
	const [document] = found;
	if (!document) {
		throw new NodeOperationError(context.getNode(), `Item ${itemIndex}: no template with ID or name '${reference}' in the ${library!.kind} library`, {
			itemIndex,
			description: `The library has ${library!.documents.length} template(s). Use List Templates or Find Template to see them.`,
		});
	}
	return { source: document.body, label: `template '${document.id}'`, document };
}
