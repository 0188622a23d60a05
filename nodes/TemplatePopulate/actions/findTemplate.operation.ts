import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { OperationContext, OperationResult } from '../../shared/operation';
import { describeTemplate, loadLibrary, pairedWithAllInputs, splitList } from './templateLibrary';

const showForFind = { show: { operation: ['findTemplate'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Find By',
		name: 'findBy',
		type: 'options',
		options: [
			{ name: 'ID', value: 'id' },
			{ name: 'Name', value: 'name', description: 'Exact name, ignoring case' },
			{ name: 'Search', value: 'search', description: 'Ranked full-text search over name, tags, description and body; tolerates typos' },
			{ name: 'Tags', value: 'tags' },
		],
		default: 'search',
		displayOptions: showForFind,
	},
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. invoice reminder',
		displayOptions: { show: { operation: ['findTemplate'], findBy: ['id', 'name', 'search'] } },
	},
	{
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. billing, email',
		description: 'Comma-separated',
		displayOptions: { show: { operation: ['findTemplate'], findBy: ['tags'] } },
	},
	{
		displayName: 'Match',
		name: 'tagMode',
		type: 'options',
		options: [
			{ name: 'All Tags', value: 'all' },
			{ name: 'Any Tag', value: 'any' },
		],
		default: 'all',
		displayOptions: { show: { operation: ['findTemplate'], findBy: ['tags'] } },
	},
];

/** Matches for the first item's query, best first. */
export async function execute({ context, store, items }: OperationContext): Promise<OperationResult> {
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
	return [matches.slice(0, limit).map(({ document, score }) => ({ json: describeTemplate(document, includeBody, score) as IDataObject, pairedItem: pairedWithAllInputs(items) }))];
}
