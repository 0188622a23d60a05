import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { FolderLibrary, TemplateIndex, WorkflowLibrary, type TemplateDocument } from '../../../lib/templates/library';
import { systemClock } from '../../../lib/shared/clock';
import type { StateStore } from '../../../lib/state';
import { templateFolders, templateIndexes } from './processCaches';

/** Largest folder template file read. */
const FOLDER_TEMPLATE_BYTES = 1024 * 1024;

export interface LoadedLibrary {
	kind: 'workflow' | 'folder';
	documents: TemplateDocument[];
	version: string;
	index: TemplateIndex;
	/** Whether this load (re)built the search index. */
	indexBuilt: boolean;
	workflowLibrary?: WorkflowLibrary;
}

export function workflowLibrary(store: StateStore): WorkflowLibrary {
	return new WorkflowLibrary(store.records, systemClock);
}

/**
 * The library the node's parameters name, loaded and indexed. Folder libraries and indexes are kept per process
 * (re-read only when a file changed, re-indexed only when the library version changed).
 */
export async function loadLibrary(context: IExecuteFunctions, store: StateStore): Promise<LoadedLibrary> {
	const kind = context.getNodeParameter('library', 0, 'workflow') === 'folder' ? 'folder' : 'workflow';
	const indexes = templateIndexes(store.process);
	if (kind === 'workflow') {
		const library = workflowLibrary(store);
		const { documents, version } = await library.load();
		const { index, built } = indexes.get(`workflow:${store.workflowId}`, version, () => documents);
		return { kind, documents, version, index, indexBuilt: built, workflowLibrary: library };
	}
	const requested = String(context.getNodeParameter('folderPath', 0, '')).trim();
	if (!requested) throw new NodeOperationError(context.getNode(), "'Folder Path' is empty", { itemIndex: 0 });
	const folder = await allowedFolder(context, requested);
	const folders = templateFolders(store.process);
	let library = folders.get(folder);
	if (library === undefined) {
		library = new FolderLibrary(folder, { clock: systemClock, maxTemplateBytes: FOLDER_TEMPLATE_BYTES });
		folders.set(folder, library);
	}
	try {
		const { documents, version } = await library.load();
		const { index, built } = indexes.get(`folder:${folder}`, version, () => documents);
		return { kind, documents, version, index, indexBuilt: built };
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, { itemIndex: 0 });
	}
}

/**
 * The folder's real path, if n8n lets nodes read there: the same rule as n8n's own file nodes
 * (N8N_RESTRICT_FILE_ACCESS_TO, by default ~/.n8n-files; N8N_BLOCK_FILE_PATTERNS).
 */
async function allowedFolder(context: IExecuteFunctions, requested: string): Promise<string> {
	let resolved: Awaited<ReturnType<IExecuteFunctions['helpers']['resolvePath']>>;
	try {
		resolved = await context.helpers.resolvePath(requested);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), `The template folder "${requested}" cannot be read: ${(error as Error).message}`, { itemIndex: 0 });
	}
	if (context.helpers.isFilePathBlocked(resolved)) {
		throw new NodeOperationError(context.getNode(), `Access to the template folder "${requested}" is not allowed`, {
			itemIndex: 0,
			description: 'n8n lets nodes read files only below the folders in N8N_RESTRICT_FILE_ACCESS_TO (default ~/.n8n-files). Move the templates there or extend that setting.',
		});
	}
	return resolved;
}

/**
 * The library template with this ID, else every template with this name (ignoring case): names need not be
 * unique, and picking one of several silently would render a template the caller did not choose.
 */
export function findByIdOrName(library: LoadedLibrary, reference: string): TemplateDocument[] {
	const byId = library.index.byId(reference);
	return byId === undefined ? library.index.byName(reference) : [byId];
}

/** What list and find operations output per template. */
export function describeTemplate(document: TemplateDocument, includeBody: boolean, score?: number): Record<string, unknown> {
	const row: Record<string, unknown> = {
		id: document.id,
		name: document.name,
		description: document.description,
		tags: document.tags,
		required: document.required,
		format: document.format ?? 'text',
		version: document.version,
		source: document.source,
		updatedAt: new Date(document.updatedAt).toISOString(),
	};
	if (document.path) row.path = document.path;
	if (score !== undefined) row.score = Math.round(score * 1000) / 1000;
	if (includeBody) row.body = document.body;
	return row;
}

/** List and find results each cover all input items (one list answers for them all). */
export const pairedWithAllInputs = (items: INodeExecutionData[]) => items.map((_, item) => ({ item }));

/** A comma-separated parameter as its non-empty entries. */
export const splitList = (value: unknown) =>
	String(value ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry.length > 0);
