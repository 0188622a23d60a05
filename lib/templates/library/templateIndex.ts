import { FullTextIndex, type FullTextField } from './fullTextIndex';
import type { TemplateDocument } from './templateDocument';

export interface TemplateSearchOptions {
	/** Results returned at most. @default 10 */
	limit?: number;
	/** Tolerate typos (edit distance up to 20 % of a term's length, terms of 4 characters and up). @default true */
	fuzzy?: boolean;
}

export interface TemplateMatch {
	document: TemplateDocument;
	score: number;
}

export const DEFAULT_SEARCH_LIMIT = 10;
/** Tags one `byTags` call may ask for (a template holds at most 100 anyway). */
export const MAX_QUERY_TAGS = 100;
/** What full-text search reads, and how much a match in each field counts. */
const SEARCHED_FIELDS: ReadonlyArray<FullTextField<TemplateDocument>> = [
	{ read: (document) => document.name, boost: 3 },
	{ read: (document) => document.tags.join(' '), boost: 2 },
	{ read: (document) => document.description, boost: 1.5 },
	{ read: (document) => document.body, boost: 1 },
];

/**
 * Lookups over one version of a library: exact maps for id, name (case-insensitive) and tags, and ranked
 * full-text search over name, tags, description and body. Immutable: a changed library gets a new index (see
 * `TemplateIndexCache`). The full-text index is built on the first search, so libraries used only by id never
 * pay for it.
 */
export class TemplateIndex {
	private readonly documentsById = new Map<string, TemplateDocument>();
	private readonly documentsByName = new Map<string, TemplateDocument[]>();
	/** Positions of the documents with each tag, ascending. */
	private readonly positionsByTag = new Map<string, number[]>();
	private readonly documents: readonly TemplateDocument[];
	private fullText: FullTextIndex<TemplateDocument> | undefined;
	/** Scratch space for `byTags`, all zeros between calls (lookups are synchronous). */
	private tagCounts: Uint16Array | undefined;

	constructor(documents: readonly TemplateDocument[]) {
		// A copy: the caller's array may change later, this index must not.
		this.documents = [...documents];
		for (const [position, document] of this.documents.entries()) {
			if (this.documentsById.has(document.id)) throw new TypeError(`Expected unique template ids, got "${document.id}" twice`);
			this.documentsById.set(document.id, document);
			append(this.documentsByName, lookupKey(document.name), document);
			for (const tag of new Set(document.tags.map(lookupKey))) append(this.positionsByTag, tag, position);
		}
	}

	get size(): number {
		return this.documents.length;
	}

	byId(id: string): TemplateDocument | undefined {
		return this.documentsById.get(id);
	}

	/** Templates with this name, ignoring case and surrounding spaces; names need not be unique. */
	byName(name: string): TemplateDocument[] {
		return [...(this.documentsByName.get(lookupKey(name)) ?? [])];
	}

	/** Templates with all (or any) of the tags, ignoring case, in library order. */
	byTags(tags: string[], mode: 'all' | 'any'): TemplateDocument[] {
		if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string')) {
			throw new TypeError('Expected `tags` to be an array of strings');
		}
		const keys = [...new Set(tags.map(lookupKey).filter((tag) => tag.length > 0))];
		if (keys.length === 0) throw new TypeError('Expected `tags` to hold at least one tag');
		if (keys.length > MAX_QUERY_TAGS) throw new TypeError(`Expected \`tags\` to hold at most ${MAX_QUERY_TAGS} tags, got ${keys.length}`);
		if (mode !== 'all' && mode !== 'any') throw new TypeError(`Expected \`mode\` to be "all" or "any", got ${JSON.stringify(mode)}`);
		const lists = keys.map((key) => this.positionsByTag.get(key) ?? []);
		if (lists.length === 1) return lists[0].map((position) => this.documents[position]);
		// Count per position how many of the lists hold it: typed arrays and no sorting, whatever the list sizes.
		const counts = (this.tagCounts ??= new Uint16Array(this.documents.length));
		for (const list of lists) for (const position of list) counts[position]++;
		const matches: TemplateDocument[] = [];
		if (mode === 'all') {
			const shortest = lists.reduce((a, b) => (b.length < a.length ? b : a));
			for (const position of shortest) if (counts[position] === lists.length) matches.push(this.documents[position]);
		} else {
			for (let position = 0; position < counts.length; position++) if (counts[position] > 0) matches.push(this.documents[position]);
		}
		counts.fill(0);
		return matches;
	}

	/**
	 * Ranked full-text search: a match in the name counts most, then tags (2), description (1.5) and body (1).
	 * Terms combine with OR, and documents matching more of them rank higher. With `fuzzy`, terms of 4 letters and
	 * up also match words one typo away per 5 letters. The last term, from 3 letters, also matches as a prefix
	 * (search-as-you-type).
	 */
	search(query: string, options: TemplateSearchOptions = {}): TemplateMatch[] {
		const { limit = DEFAULT_SEARCH_LIMIT, fuzzy = true } = options;
		if (typeof query !== 'string') throw new TypeError(`Expected \`query\` to be a string, got ${typeof query}`);
		if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`Expected \`limit\` to be an integer from 1 and up, got ${limit}`);
		if (query.trim().length === 0) return [];
		this.fullText ??= new FullTextIndex(this.documents, SEARCHED_FIELDS);
		return this.fullText.search(query, { limit, fuzzy }).map(({ position, score }) => ({ document: this.documents[position], score }));
	}
}

/** How names and tags are compared: case, surrounding spaces and Unicode composition do not matter. */
function lookupKey(text: string): string {
	return text.normalize('NFC').trim().toLowerCase();
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list === undefined) map.set(key, [value]);
	else list.push(value);
}
