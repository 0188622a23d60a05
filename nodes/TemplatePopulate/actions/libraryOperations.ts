import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { TemplateFieldError } from '../../../lib/templates/library';
import { compileUsableTemplate } from '../../../lib/templates/usableTemplate';
import type { StateStore } from '../../../lib/state';
import { errorClassOf, errorItem, toNodeError } from '../../shared/errors';
import { compiledTemplates } from './processCaches';
import { readTemplateToSave, SAVE_FIELD_LABELS } from './readTemplateToSave';
import { describeTemplate, loadLibrary, workflowLibrary } from './templateLibrary';

/** Template bytes compiled on save: more than any workflow library template may take. */
const SAVE_COMPILE_BYTES = 256 * 1024;

const allInputs = (items: INodeExecutionData[]) => items.map((_, item) => ({ item }));
const splitList = (value: unknown) =>
	String(value ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry.length > 0);

/** One item per template, each paired with all input items (the list covers them all). */
export async function listTemplates(context: IExecuteFunctions, store: StateStore, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const library = await loadLibrary(context, store);
	const limit = Number(context.getNodeParameter('limit', 0, 50));
	const includeBody = context.getNodeParameter('includeBody', 0, false) as boolean;
	return [library.documents.slice(0, limit).map((document) => ({ json: describeTemplate(document, includeBody) as IDataObject, pairedItem: allInputs(items) }))];
}

/** Matches for the first item's query, best first. */
export async function findTemplate(context: IExecuteFunctions, store: StateStore, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const started = Date.now();
	const library = await loadLibrary(context, store);
	const findBy = context.getNodeParameter('findBy', 0, 'search') as string;
	const limit = Number(context.getNodeParameter('limit', 0, 50));
	const includeBody = context.getNodeParameter('includeBody', 0, false) as boolean;
	let matches: Array<{ document: (typeof library.documents)[number]; score?: number }>;
	if (findBy === 'tags') {
		const tags = splitList(context.getNodeParameter('tags', 0, ''));
		if (tags.length === 0) throw new NodeOperationError(context.getNode(), "'Tags' is empty", { itemIndex: 0 });
		const mode = context.getNodeParameter('tagMode', 0, 'all') === 'any' ? 'any' : 'all';
		matches = library.index.byTags(tags, mode).map((document) => ({ document }));
	} else {
		const query = String(context.getNodeParameter('query', 0, '')).trim();
		if (!query) throw new NodeOperationError(context.getNode(), "'Query' is empty", { itemIndex: 0 });
		if (findBy === 'id') {
			const document = library.index.byId(query);
			matches = document ? [{ document }] : [];
		} else if (findBy === 'name') {
			matches = library.index.byName(query).map((document) => ({ document }));
		} else {
			matches = library.index.search(query, { limit });
		}
	}
	const node = context.getNode();
	store.metrics.record({ nodeType: node.type, nodeName: node.name, operation: 'discover', durationMs: Date.now() - started, cache: library.indexBuilt ? 'miss' : 'hit' });
	return [matches.slice(0, limit).map(({ document, score }) => ({ json: describeTemplate(document, includeBody, score) as IDataObject, pairedItem: allInputs(items) }))];
}

/**
 * Saves one template per item into the workflow library, after the checks populate runs on every template
 * (`compileUsableTemplate`), so that the library never holds a template populate would refuse.
 */
export async function saveTemplate(context: IExecuteFunctions, store: StateStore, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const node = context.getNode();
	const library = workflowLibrary(store);
	const compiler = compiledTemplates(store.process);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const input = readTemplateToSave(context, itemIndex);
			try {
				compileUsableTemplate(compiler, input.body, { format: input.format, strict: true, maxTemplateBytes: SAVE_COMPILE_BYTES });
			} catch (error) {
				throw new NodeOperationError(node, `Item ${itemIndex}: the 'Template' of '${input.id}' cannot be rendered: ${(error as Error).message}`, {
					itemIndex,
					description: (error as { description?: string }).description,
				});
			}
			let saved;
			try {
				saved = await library.save(input);
			} catch (error) {
				throw new NodeOperationError(node, `Item ${itemIndex}: ${labelled(error)}`, {
					itemIndex,
					description: (error as { description?: string }).description,
				});
			}
			output.push({ json: { saved: true, ...describeTemplate(saved, false) } as IDataObject, pairedItem: { item: itemIndex } });
		} catch (error) {
			const nodeError = toNodeError(node, error, itemIndex);
			if (!context.continueOnFail()) throw nodeError;
			output.push(errorItem(node, nodeError, itemIndex, errorClassOf(error)));
		}
	}
	return [output];
}

/** A library error about one field, led by that field's label. */
function labelled(error: unknown): string {
	const message = (error as Error).message;
	return error instanceof TemplateFieldError ? `'${SAVE_FIELD_LABELS[error.field] ?? error.field}' is invalid: ${message}` : message;
}

export async function deleteTemplate(context: IExecuteFunctions, store: StateStore, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const library = workflowLibrary(store);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const id = String(context.getNodeParameter('templateId', itemIndex, '')).trim();
		if (!id) {
			const error = new NodeOperationError(context.getNode(), `Item ${itemIndex}: 'Template ID' is empty`, { itemIndex });
			if (!context.continueOnFail()) throw error;
			output.push(errorItem(context.getNode(), error, itemIndex, 'validation'));
			continue;
		}
		output.push({ json: { id, deleted: await library.delete(id) }, pairedItem: { item: itemIndex } });
	}
	return [output];
}
