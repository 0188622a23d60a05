import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock';
import { isPlainObject, jsonByteLength, type JsonValue } from '../shared/json';
import type { WorkflowState } from './workflowState';

/** The one key our nodes own inside `getWorkflowStaticData('global')`. */
export const STATE_KEY = 'perfOptimizer';
export const SNAPSHOT_VERSION = 1;
/** Default cap of the persisted snapshot per workflow; see README "State and persistence" for the trade-off. */
export const DEFAULT_SNAPSHOT_MAX_BYTES = 64 * 1024;

/**
 * How a snapshot's bytes are shared, so that one part cannot crowd out another:
 * - `records` (template library, settings, alert state) may take at most half: writes beyond it are refused
 *   (`BudgetedRecords.set`, behind `StaticDataStateStore.records`), since records are configuration and are
 *   never dropped to fit;
 * - `cacheReserve`, a quarter, is kept for persisted cache entries (AI answers) whatever the records and metrics
 *   take, so a full library cannot push them out;
 * - metrics' minute buckets get the rest, and cache entries everything metrics leave unused.
 */
export interface SnapshotBudgets {
	records: number;
	cacheReserve: number;
}

export function snapshotBudgets(maxBytes: number): SnapshotBudgets {
	return { records: Math.floor(maxBytes / 2), cacheReserve: Math.floor(maxBytes / 4) };
}

/** A cache entry in a snapshot: key, value, storedAt, expiresAt. */
type CacheEntryTuple = [string, JsonValue, number, number];

/**
 * The persisted copy of a workflow's state. Written whole by each execution, as n8n writes all static data;
 * merging never loses an update because counters are per instance (newest copy wins) and cache entries carry
 * their store time (newest wins).
 */
export interface SnapshotV1 {
	v: typeof SNAPSHOT_VERSION;
	/** Snapshot id: lets the writing process recognise its own snapshot and skip merging it. */
	sid: string;
	/** Written at, epoch ms. */
	at: number;
	/** Instance that wrote it. */
	by: string;
	/** Records (settings, alert state, libraries): written first, they are configuration, not cache. */
	r?: Record<string, unknown>;
	m: unknown;
	c: Record<string, CacheEntryTuple[]>;
}

export interface SnapshotBuild {
	snapshot: SnapshotV1;
	bytes: number;
	droppedBuckets: number;
	droppedCacheEntries: number;
}

/**
 * Builds a snapshot within `maxBytes` (see {@link snapshotBudgets}): records first, then metrics up to what the
 * cache reserve leaves (oldest minute buckets dropped first), then the most recently used persistable cache
 * entries that fit, taken in turn from each cache. Records over their budget (written before it existed) are kept
 * whole and the cache keeps its reserve, so such a snapshot may pass `maxBytes` by their excess.
 */
/** Misfit entries in a row after which a cache is taken as not fitting any more. */
const MAX_MISFITS_IN_A_ROW = 16;

export function buildSnapshot(state: WorkflowState, maxBytes: number, clock: Clock): SnapshotBuild {
	const snapshot: SnapshotV1 = {
		v: SNAPSHOT_VERSION,
		sid: randomBytes(6).toString('base64url'),
		at: clock.now(),
		by: state.instanceId,
		m: { s: [] },
		c: {},
	};
	const records = state.records.toJSON();
	if (Object.keys(records).length > 0) snapshot.r = records;
	const { cacheReserve } = snapshotBudgets(maxBytes);
	const envelopeBytes = jsonByteLength(snapshot);
	const metrics = state.metrics.toJSON(maxBytes - cacheReserve - envelopeBytes);
	snapshot.m = metrics.json;
	let used = jsonByteLength(snapshot);
	const cacheLimit = Math.max(maxBytes, used + cacheReserve);

	let droppedCacheEntries = 0;
	const open = [...state.caches.entries()].map(([namespace, cache]) => ({
		namespace,
		remaining: cache.stats().entries,
		iterator: cache.entries(),
		misfitsInARow: 0,
	}));
	while (open.length > 0) {
		for (let index = 0; index < open.length; index++) {
			const source = open[index];
			const next = source.iterator.next();
			if (next.done) {
				open.splice(index--, 1);
				continue;
			}
			source.remaining--;
			const [key, entry] = next.value;
			if (!entry.persist) continue;
			// An entry too large for the room left is skipped, not the end of its cache: one huge answer must not
			// push every older one out. Its approximate size, a lower bound of its cost, spares serialising it.
			const tuple: CacheEntryTuple = [key, entry.value, entry.storedAt, entry.expiresAt];
			// `"namespace":[]` and a comma for a namespace's first entry
			const header = snapshot.c[source.namespace] ? 0 : jsonByteLength(source.namespace) + 4;
			// tuple and comma
			const cost = used + entry.size + header > cacheLimit ? Infinity : jsonByteLength(tuple) + 1 + header;
			if (used + cost > cacheLimit) {
				droppedCacheEntries++;
				// A run of misfits means the snapshot is full for this cache, and the rest is older: it is counted as
				// dropped unseen, so a full snapshot costs a few looks per cache, not one per entry.
				if (++source.misfitsInARow >= MAX_MISFITS_IN_A_ROW) {
					droppedCacheEntries += source.remaining;
					open.splice(index--, 1);
				}
				continue;
			}
			source.misfitsInARow = 0;
			(snapshot.c[source.namespace] ??= []).push(tuple);
			used += cost;
		}
	}
	return { snapshot, bytes: jsonByteLength(snapshot), droppedBuckets: metrics.droppedBuckets, droppedCacheEntries };
}

export class SnapshotFormatError extends Error {
	override name = 'SnapshotFormatError';
}

/** Checks a value read from static data; throws {@link SnapshotFormatError} saying what is wrong. */
export function parseSnapshot(raw: unknown): SnapshotV1 {
	if (!isPlainObject(raw)) throw new SnapshotFormatError('it is not an object');
	if (raw.v !== SNAPSHOT_VERSION) {
		throw new SnapshotFormatError(`its version is ${JSON.stringify(raw.v) ?? 'missing'}, expected ${SNAPSHOT_VERSION}`);
	}
	if (typeof raw.sid !== 'string' || typeof raw.by !== 'string' || typeof raw.at !== 'number') {
		throw new SnapshotFormatError('its header (sid, by, at) is incomplete');
	}
	if (!isPlainObject(raw.c)) throw new SnapshotFormatError('its cache section is not an object');
	for (const [namespace, entries] of Object.entries(raw.c)) {
		if (!Array.isArray(entries)) throw new SnapshotFormatError(`cache "${namespace}" is not a list`);
		entries.forEach((entry: unknown, index) => {
			if (
				!Array.isArray(entry) ||
				entry.length !== 4 ||
				typeof entry[0] !== 'string' ||
				typeof entry[2] !== 'number' ||
				typeof entry[3] !== 'number'
			) {
				throw new SnapshotFormatError(`cache "${namespace}" entry ${index} is malformed`);
			}
		});
	}
	return raw as unknown as SnapshotV1;
}

/**
 * Merges a parsed snapshot into the in-memory state. Metrics are validated before anything changes; a
 * malformed metrics section throws {@link SnapshotFormatError}.
 */
export function mergeSnapshot(state: WorkflowState, snapshot: SnapshotV1): { cacheEntriesTaken: number } {
	try {
		state.records.merge(snapshot.r);
		state.metrics.merge(snapshot.m);
	} catch (error) {
		throw new SnapshotFormatError((error as Error).message);
	}
	let cacheEntriesTaken = 0;
	for (const [namespace, entries] of Object.entries(snapshot.c)) {
		const cache = state.cache(namespace);
		// Oldest first, so the most recently used ends up most recent again.
		for (let index = entries.length - 1; index >= 0; index--) {
			const [key, value, storedAt, expiresAt] = entries[index];
			if (cache.absorb(key, { value, storedAt, expiresAt, persist: true })) cacheEntriesTaken++;
		}
	}
	return { cacheEntriesTaken };
}
