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

/** Share of the entries and bytes that answers served at least once may hold; the rest is for new answers. */
const PROTECTED_SHARE = 0.8;

/**
 * A TTL cache of JSON values with counters, bounded by entry count and bytes. Entries carry absolute times so they
 * can be written to a snapshot and merged back (newest `storedAt` wins) after a restart.
 *
 * Eviction is a segmented LRU: a new answer waits in probation, and moves to the protected segment (up to 80% of the
 * cache) once it is served. A burst of one-off prompts then only turns over probation, instead of pushing out the
 * answers that earn the hits; a protected answer that goes unused long enough falls back to probation.
 */
export class BoundedCache {
	private probation: LRUCache<string, CacheEntry>;
	private protected: LRUCache<string, CacheEntry>;
	private limits: Required<CacheLimits>;
	private readonly counters = { hits: 0, misses: 0, sets: 0, evictions: 0, expirations: 0 };
	/** Grows on every change, so the state layer can tell whether a snapshot is out of date. */
	revision = 0;

	constructor(
		limits: CacheLimits,
		private readonly clock: Clock,
	) {
		this.limits = resolveCacheLimits(limits);
		[this.probation, this.protected] = this.createSegments();
	}

	get currentLimits(): Readonly<Required<CacheLimits>> {
		return this.limits;
	}

	/** Changes the limits in place, keeping the entries most worth keeping that still fit. */
	reconfigure(limits: CacheLimits): void {
		const next = resolveCacheLimits(limits);
		const current = this.limits;
		if (next.maxEntries === current.maxEntries && next.maxBytes === current.maxBytes && next.ttlMs === current.ttlMs) {
			return;
		}
		const probation = [...this.probation.entries()];
		const protectedEntries = [...this.protected.entries()];
		this.limits = next;
		[this.probation, this.protected] = this.createSegments();
		// Least recently used first, each into its own segment, so that order and standing survive.
		for (let index = probation.length - 1; index >= 0; index--) this.insert(probation[index][0], probation[index][1], false);
		for (let index = protectedEntries.length - 1; index >= 0; index--) this.insert(protectedEntries[index][0], protectedEntries[index][1], true);
		this.revision++;
	}

	get(key: string): CacheEntry | undefined {
		const inProtected = this.protected.get(key);
		const entry = inProtected ?? this.probation.get(key);
		if (entry !== undefined && entry.expiresAt !== 0 && entry.expiresAt <= this.clock.now()) {
			this.remove(key);
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
		if (inProtected === undefined) this.insert(key, entry, true);
		return entry;
	}

	/** Looks without counting a hit or miss or touching recency. */
	peek(key: string): CacheEntry | undefined {
		const entry = this.protected.peek(key) ?? this.probation.peek(key);
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
		// A refreshed answer keeps the standing its key earned.
		this.insert(key, entry, this.protected.has(key));
		this.revision++;
		return entry;
	}

	/**
	 * Takes an entry from a snapshot or another store unless the cache holds a copy at least as new.
	 * Returns whether it was taken.
	 */
	absorb(key: string, entry: Omit<CacheEntry, 'size'> & { size?: number }): boolean {
		if (entry.expiresAt !== 0 && entry.expiresAt <= this.clock.now()) return false;
		const existing = this.peek(key);
		if (existing !== undefined && existing.storedAt >= entry.storedAt) {
			// The same answer seen elsewhere (a restart's snapshot): keep the larger hit count, so its rank survives.
			if (existing.storedAt === entry.storedAt && (entry.hits ?? 0) > (existing.hits ?? 0)) existing.hits = entry.hits;
			return false;
		}
		// An answer that was served before the restart comes back protected.
		this.insert(key, { ...entry, size: entry.size ?? key.length + jsonByteLength(entry.value) }, (entry.hits ?? 0) > 0);
		this.revision++;
		return true;
	}

	delete(key: string): boolean {
		const deleted = this.remove(key);
		if (deleted) this.revision++;
		return deleted;
	}

	clear(): void {
		this.probation.clear();
		this.protected.clear();
		this.revision++;
	}

	/** Live entries, those most worth keeping first: served ones most recently used first, then the rest likewise. */
	*entries(): Generator<[string, CacheEntry]> {
		const now = this.clock.now();
		for (const segment of [this.protected, this.probation]) {
			for (const [key, entry] of segment.entries()) {
				if (entry.expiresAt === 0 || entry.expiresAt > now) yield [key, entry];
			}
		}
	}

	stats(): CacheStats {
		return {
			entries: this.probation.size + this.protected.size,
			bytes: this.probation.calculatedSize + this.protected.calculatedSize,
			...this.counters,
		};
	}

	private remove(key: string): boolean {
		const fromProtected = this.protected.delete(key);
		return this.probation.delete(key) || fromProtected;
	}

	/** Puts an entry into a segment (moving it from the other), then evicts until the whole cache fits its limits. */
	private insert(key: string, entry: CacheEntry, asProtected: boolean): void {
		if (entry.size > this.limits.maxBytes) {
			this.remove(key); // larger than the whole cache: never kept
			return;
		}
		const ttl = entry.expiresAt === 0 ? 0 : Math.max(1, entry.expiresAt - this.clock.now());
		// An answer larger than the protected segment stays in probation.
		const segment = asProtected && entry.size <= this.protected.maxSize ? this.protected : this.probation;
		(segment === this.protected ? this.probation : this.protected).delete(key);
		segment.set(key, entry, { ttl, size: entry.size });
		this.fit(key);
	}

	/** Evicts probation's least recently used first; the protected segment only when probation holds nothing else. */
	private fit(keep: string): void {
		const { maxEntries, maxBytes } = this.limits;
		const over = () =>
			this.probation.size + this.protected.size > maxEntries || this.probation.calculatedSize + this.protected.calculatedSize > maxBytes;
		while (over()) {
			const probationOldest = this.probation.rkeys().next().value;
			if (probationOldest !== undefined && probationOldest !== keep) {
				this.probation.pop(); // counted by the segment's dispose
				continue;
			}
			const protectedOldest = this.protected.rkeys().next().value;
			if (protectedOldest === undefined || protectedOldest === keep) return;
			this.protected.delete(protectedOldest);
			this.counters.evictions++;
		}
	}

	private createSegments(): [LRUCache<string, CacheEntry>, LRUCache<string, CacheEntry>] {
		const { maxEntries, maxBytes } = this.limits;
		const segment = (max: number, maxSize: number, onEvict: (key: string, entry: CacheEntry) => void) =>
			new LRUCache<string, CacheEntry>({
				max,
				maxSize,
				sizeCalculation: (entry) => entry.size,
				perf: this.clock,
				// Our clock may be a fake that jumps; never reuse a cached "now".
				ttlResolution: 0,
				ttlAutopurge: false,
				allowStale: false,
				dispose: (entry, key, reason) => {
					if (reason === 'evict') onEvict(key, entry);
					else if (reason === 'expire') this.counters.expirations++;
				},
			});
		const probation = segment(maxEntries, maxBytes, () => this.counters.evictions++);
		// A protected answer pushed out by a newly served one goes back to probation, not out of the cache.
		const demote = (key: string, entry: CacheEntry) => {
			const ttl = entry.expiresAt === 0 ? 0 : Math.max(1, entry.expiresAt - this.clock.now());
			this.probation.set(key, entry, { ttl, size: entry.size });
		};
		const protectedSegment = segment(
			Math.max(1, Math.floor(maxEntries * PROTECTED_SHARE)),
			Math.max(1, Math.floor(maxBytes * PROTECTED_SHARE)),
			demote,
		);
		return [probation, protectedSegment];
	}
}
