import { LRUCache } from 'lru-cache';
import { TemplateIndex } from './templateIndex';
import type { TemplateDocument } from './templateDocument';

export interface TemplateIndexCacheOptions {
	/** Libraries whose index is kept at most; the least recently used leave first. @default 20 */
	maxLibraries?: number;
}

export const DEFAULT_MAX_INDEXED_LIBRARIES = 20;

/**
 * One `TemplateIndex` per library (a folder, a workflow), rebuilt only when the library's version changes.
 * Only the latest version of each library is kept: an execution that still holds an older index keeps using it,
 * the cache just stops handing it out.
 */
export class TemplateIndexCache {
	private readonly indexes: LRUCache<string, { version: string; index: TemplateIndex }>;

	constructor(options: TemplateIndexCacheOptions = {}) {
		const { maxLibraries = DEFAULT_MAX_INDEXED_LIBRARIES } = options;
		if (!Number.isInteger(maxLibraries) || maxLibraries < 1) {
			throw new TypeError(`Expected \`maxLibraries\` to be an integer from 1 and up, got ${maxLibraries}`);
		}
		this.indexes = new LRUCache({ max: maxLibraries });
	}

	/** The index of this library version; `documents` is called only when it has to be built. */
	get(libraryKey: string, version: string, documents: () => readonly TemplateDocument[]): { index: TemplateIndex; built: boolean } {
		const cached = this.indexes.get(libraryKey);
		if (cached !== undefined && cached.version === version) return { index: cached.index, built: false };
		const index = new TemplateIndex(documents());
		this.indexes.set(libraryKey, { version, index });
		return { index, built: true };
	}

	/** Forgets a library's index (e.g. when its folder setting changes). */
	delete(libraryKey: string): boolean {
		return this.indexes.delete(libraryKey);
	}

	get size(): number {
		return this.indexes.size;
	}
}
