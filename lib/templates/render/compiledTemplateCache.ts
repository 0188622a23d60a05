import { LRUCache } from 'lru-cache';
import { assertTemplateFits } from './byteLimits';
import {
	assertCompileOptions,
	compileTemplate,
	templateHash,
	type CompileOptions,
	type CompiledTemplate,
} from './compileTemplate';
import { TemplateError } from './templateErrors';

export interface CompiledTemplateLookup {
	template: CompiledTemplate;
	/** Whether it came from the cache rather than a compile. */
	hit: boolean;
}

export interface CompiledTemplateCacheStats {
	hits: number;
	misses: number;
	/** Entries held now, compile failures included. */
	size: number;
}

/** The last lookup, compared by value: a node renders one template for many items, and this skips the hash. */
interface LastLookup {
	source: string;
	format: CompileOptions['format'];
	strict: boolean;
	entry: CompiledTemplate | TemplateError;
}

/**
 * Compiled templates by {@link templateHash}, least recently used leaving first. A template that failed to compile
 * is kept too, with its error, so that items carrying the same broken template do not compile it again each.
 */
export class CompiledTemplateCache {
	private readonly lru: LRUCache<string, CompiledTemplate | TemplateError>;
	private last: LastLookup | undefined;
	private hits = 0;
	private misses = 0;

	constructor(maxEntries = 500) {
		if (!Number.isInteger(maxEntries) || maxEntries < 1) {
			throw new TypeError(`Expected \`maxEntries\` to be an integer from 1 and up, got ${maxEntries}`);
		}
		this.lru = new LRUCache({ max: maxEntries });
	}

	/**
	 * The compiled template for a source and options, compiling it on a miss. Throws what {@link compileTemplate}
	 * throws; the size limit is checked on every lookup, so a template compiled under a larger limit is not served
	 * under a smaller one.
	 */
	get(source: string, options: CompileOptions): CompiledTemplateLookup {
		assertCompileOptions(options);
		assertTemplateFits(source, options.maxTemplateBytes);
		const last = this.last;
		const { format, strict } = options;
		if (last !== undefined && last.source === source && last.format === format && last.strict === strict) {
			return this.serve(last.entry);
		}
		const key = templateHash(source, options.format, options.strict);
		const cached = this.lru.get(key);
		if (cached !== undefined) {
			this.last = { source, format: options.format, strict: options.strict, entry: cached };
			return this.serve(cached);
		}
		this.misses++;
		let entry: CompiledTemplate | TemplateError;
		try {
			entry = compileTemplate(source, options);
		} catch (error) {
			if (!(error instanceof TemplateError)) throw error;
			entry = error;
		}
		this.lru.set(key, entry);
		this.last = { source, format: options.format, strict: options.strict, entry };
		if (entry instanceof TemplateError) throw entry;
		return { template: entry, hit: false };
	}

	stats(): CompiledTemplateCacheStats {
		return { hits: this.hits, misses: this.misses, size: this.lru.size };
	}

	private serve(entry: CompiledTemplate | TemplateError): CompiledTemplateLookup {
		this.hits++;
		if (entry instanceof TemplateError) throw entry;
		return { template: entry, hit: true };
	}
}
