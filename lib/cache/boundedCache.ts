import { LRUCache } from 'lru-cache';
import type { Clock } from '../shared/clock';
import { jsonByteLength, type JsonValue } from '../shared/json';

export interface CacheLimits {
	/** Entries kept at most; the least recently used leave first. Required: an unbounded cache is refused. */
	maxEntries: number;
	/** Approximate UTF-8 JSON bytes of keys and values kept at most. @default 64 MiB */
	maxBytes?: number;
	/** Time to live of an entry in ms; `0` means entries never expire (they still leave by LRU), not "expire at once". */
	ttlMs: number;
}

export interface CacheEntry {
	value: JsonValue;
	/** Epoch ms when it was stored; between two copies of an entry the later one wins. */
	storedAt: number;
	/** Epoch ms after which it is not served; `0` = no expiry. */
	expiresAt: number;
	/** Whether it may leave the process (static-data snapshot). Off for data the user keeps in memory only. */
	persist: boolean;
	/** Approximate bytes, for `maxBytes`. */
	size: number;
	/** Times it was served; with `worthUsd`, what ranks it for the persisted snapshot. */
	hits?: number;
	/** What one hit saves in USD (the cost of the call it stands for); 0 or absent when unknown. */
	worthUsd?: number;
	/** Epoch ms of its last store or hit: the tie-break between entries of equal value. */
	usedAt?: number;
}

export interface CacheStats {
	entries: number;
	bytes: number;
	hits: number;
	misses: number;
	sets: number;
	evictions: number;
	expirations: number;
}

export interface SetOptions {
	/** Overrides the cache's TTL for this entry. */
	ttlMs?: number;
	/** @default true */
	persist?: boolean;
	/** What one hit saves in USD, so the snapshot can keep the entries that save most. */
	worthUsd?: number;
}

export const DEFAULT_CACHE_MAX_BYTES = 64 * 1024 * 1024;

/** Checks cache limits and fills in the default `maxBytes`; every cache backend uses it. */
export function resolveCacheLimits(limits: CacheLimits): Required<CacheLimits> {
	const { maxEntries, ttlMs } = limits;
	const maxBytes = limits.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
	if (!Number.isInteger(maxEntries) || maxEntries < 1) {
		throw new TypeError(`Expected \`maxEntries\` to be an integer from 1 and up, got ${maxEntries}`);
	}
	if (!Number.isInteger(maxBytes) || maxBytes < 1) {
		throw new TypeError(`Expected \`maxBytes\` to be an integer from 1 and up, got ${maxBytes}`);
	}
	if (!Number.isFinite(ttlMs) || ttlMs < 0) {
		throw new TypeError(`Expected \`ttlMs\` to be a number from 0 and up, got ${ttlMs}`);
	}
	return { maxEntries, maxBytes, ttlMs };
}

/**
 * A TTL + LRU cache of JSON values with counters, bounded by entry count and bytes. Entries carry absolute
 * times so they can be written to a snapshot and merged back (newest `storedAt` wins) after a restart.
 */
export class BoundedCache {
	private lru: LRUCache<string, CacheEntry>;
	private limits: Required<CacheLimits>;
	private readonly counters = { hits: 0, misses: 0, sets: 0, evictions: 0, expirations: 0 };
	/** Grows on every change, so the state layer can tell whether a snapshot is out of date. */
	revision = 0;

	constructor(
		limits: CacheLimits,
		private readonly clock: Clock,
	) {
		this.limits = resolveCacheLimits(limits);
		this.lru = this.createLru();
	}

	get currentLimits(): Readonly<Required<CacheLimits>> {
		return this.limits;
	}

	/** Changes the limits in place, keeping the most recently used entries that still fit. */
	reconfigure(limits: CacheLimits): void {
		const next = resolveCacheLimits(limits);
		const current = this.limits;
		if (next.maxEntries === current.maxEntries && next.maxBytes === current.maxBytes && next.ttlMs === current.ttlMs) {
			return;
		}
		const entries = [...this.entries()];
		this.limits = next;
		this.lru = this.createLru();
		// Insert least recently used first so that recency order survives.
		for (let index = entries.length - 1; index >= 0; index--) this.insert(entries[index][0], entries[index][1]);
		this.revision++;
	}

	get(key: string): CacheEntry | undefined {
		const entry = this.lru.get(key);
		if (entry !== undefined && entry.expiresAt !== 0 && entry.expiresAt <= this.clock.now()) {
			this.lru.delete(key);
			this.counters.expirations++;
			this.counters.misses++;
			return undefined;
		}
		if (entry === undefined) {
			this.counters.misses++;
			return undefined;
		}
		this.counters.hits++;
		// Not a change worth persisting by itself (no revision bump): it rides with the next snapshot.
		entry.hits = (entry.hits ?? 0) + 1;
		entry.usedAt = this.clock.now();
		return entry;
	}

	/** Looks without counting a hit or miss or touching recency. */
	peek(key: string): CacheEntry | undefined {
		const entry = this.lru.peek(key);
		if (entry === undefined || (entry.expiresAt !== 0 && entry.expiresAt <= this.clock.now())) return undefined;
		return entry;
	}

	set(key: string, value: JsonValue, options: SetOptions = {}): CacheEntry {
		const ttlMs = options.ttlMs ?? this.limits.ttlMs;
		const now = this.clock.now();
		const entry: CacheEntry = {
			value,
			storedAt: now,
			expiresAt: ttlMs > 0 ? now + ttlMs : 0,
			persist: options.persist ?? true,
			size: key.length + jsonByteLength(value),
			usedAt: now,
		};
		if (options.worthUsd !== undefined && options.worthUsd > 0) entry.worthUsd = options.worthUsd;
		this.counters.sets++;
		this.insert(key, entry);
		this.revision++;
		return entry;
	}

	/**
	 * Takes an entry from a snapshot or another store unless the cache holds a copy at least as new.
	 * Returns whether it was taken.
	 */
	absorb(key: string, entry: Omit<CacheEntry, 'size'> & { size?: number }): boolean {
		if (entry.expiresAt !== 0 && entry.expiresAt <= this.clock.now()) return false;
		const existing = this.lru.peek(key);
		if (existing !== undefined && existing.storedAt >= entry.storedAt) {
			// The same answer seen elsewhere (a restart's snapshot): keep the larger hit count, so its rank survives.
			if (existing.storedAt === entry.storedAt && (entry.hits ?? 0) > (existing.hits ?? 0)) existing.hits = entry.hits;
			return false;
		}
		this.insert(key, { ...entry, size: entry.size ?? key.length + jsonByteLength(entry.value) });
		this.revision++;
		return true;
	}

	delete(key: string): boolean {
		const deleted = this.lru.delete(key);
		if (deleted) this.revision++;
		return deleted;
	}

	clear(): void {
		this.lru.clear();
		this.revision++;
	}

	/** Live entries, most recently used first. */
	*entries(): Generator<[string, CacheEntry]> {
		const now = this.clock.now();
		for (const [key, entry] of this.lru.entries()) {
			if (entry.expiresAt === 0 || entry.expiresAt > now) yield [key, entry];
		}
	}

	stats(): CacheStats {
		return { entries: this.lru.size, bytes: this.lru.calculatedSize, ...this.counters };
	}

	private insert(key: string, entry: CacheEntry): void {
		if (entry.size > this.limits.maxBytes) return; // larger than the whole cache: never kept
		const ttl = entry.expiresAt === 0 ? 0 : Math.max(1, entry.expiresAt - this.clock.now());
		this.lru.set(key, entry, { ttl, size: entry.size });
	}

	private createLru(): LRUCache<string, CacheEntry> {
		return new LRUCache<string, CacheEntry>({
			max: this.limits.maxEntries,
			maxSize: this.limits.maxBytes,
			sizeCalculation: (entry) => entry.size,
			perf: this.clock,
			// Our clock may be a fake that jumps; never reuse a cached "now".
			ttlResolution: 0,
			ttlAutopurge: false,
			allowStale: false,
			dispose: (_entry, _key, reason) => {
				if (reason === 'evict') this.counters.evictions++;
				else if (reason === 'expire') this.counters.expirations++;
			},
		});
	}
}
