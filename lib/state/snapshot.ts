import { randomBytes } from 'node:crypto';
import type { CacheEntry } from '../cache';
import type { Clock } from '../shared/clock';
import { embeddedJsonByteLength, isPlainObject, jsonByteLength, type JsonValue } from '../shared/json';
import type { WorkflowState } from './workflowState';

/** The one key our nodes own inside `getWorkflowStaticData('global')`. */
export const STATE_KEY = 'perfOptimizer';
/**
 * Version 2 keeps the content as one JSON string (`body`). n8n makes every object inside static data observable
 * when it loads a workflow, one proxy per object, on every execution: a full snapshot held as objects (hundreds of
 * cache entries, each a few objects) cost n8n about 0.4 ms per execution before our node ran, 0.25 ms more to
 * parse, and garbage to collect (CPU profile of n8n 2.40.7). One string is one value to n8n. Version 1 (the content
 * as objects) is still read.
 */
export const SNAPSHOT_VERSION = 2;
/** Default cap of the persisted snapshot per workflow; see README "State and persistence" for the trade-off. */
export const DEFAULT_SNAPSHOT_MAX_BYTES = 64 * 1024;

/**
 * How a snapshot's bytes are shared, so that one part cannot crowd out another:
 * - `records` (template library, settings, alert state) may take at most half: writes beyond it are refused
 *   (`BudgetedRecords.set`, behind `StaticDataStateStore.records`), since records are configuration and are
 *   never dropped to fit;
 * - `metrics` (totals, hour and minute buckets) may take at most a quarter, however many buckets they hold;
 * - cache entries (AI answers) get everything records leave beside the metrics' quarter, used or not, so
 *   growing metrics never push answers out; `cacheReserve`, a quarter, is theirs even when records written by
 *   an older version pass their budget.
 */
export interface SnapshotBudgets {
	records: number;
	metrics: number;
	cacheReserve: number;
}

export function snapshotBudgets(maxBytes: number): SnapshotBudgets {
	return { records: Math.floor(maxBytes / 2), metrics: Math.floor(maxBytes / 4), cacheReserve: Math.floor(maxBytes / 4) };
}

/**
 * A cache entry in a snapshot: key, value, storedAt, expiresAt, then (when not zero) hits and what one hit
 * saves in USD, so the entries worth most stay chosen after a restart.
 */
type CacheEntryTuple = [string, JsonValue, number, number, number?, number?];

/**
 * The persisted copy of a workflow's state. Written whole when written at all, as n8n writes all static data;
 * merging never loses an update because counters are per instance (newest copy wins) and cache entries carry
 * their store time (newest wins).
 */
export interface Snapshot {
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

/** What static data holds under {@link STATE_KEY}: the header as fields (read without parsing), the rest as JSON. */
export interface StoredSnapshot {
	v: typeof SNAPSHOT_VERSION;
	sid: string;
	at: number;
	by: string;
	/** `{ r?, m, c }` of the {@link Snapshot}, as JSON. */
	body: string;
}

export interface SnapshotBuild {
	snapshot: Snapshot;
	/** What to put under {@link STATE_KEY}. */
	stored: StoredSnapshot;
	/** What n8n saves: the stored form's JSON bytes (the body's quotes escaped). */
	bytes: number;
	droppedBuckets: number;
	droppedCacheEntries: number;
}

/** Misfit entries in a row after which the snapshot is taken as full. */
const MAX_MISFITS_IN_A_ROW = 16;

/**
 * Builds a snapshot within `maxBytes` (see {@link snapshotBudgets}): records first, then metrics within their
 * budget (oldest buckets dropped first), then the persistable cache entries of every cache that fit, by value
 * (see {@link byValue}). Records over their budget (written before it existed) are kept whole and the cache
 * keeps its reserve, so such a snapshot may pass `maxBytes` by their excess. Every size is counted as stored: the
 * content inside the body string, quotes escaped.
 */
export function buildSnapshot(state: WorkflowState, maxBytes: number, clock: Clock): SnapshotBuild {
	const snapshot: Snapshot = {
		sid: randomBytes(6).toString('base64url'),
		at: clock.now(),
		by: state.instanceId,
		m: { s: [] },
		c: {},
	};
	const records = state.records.toJSON();
	if (Object.keys(records).length > 0) snapshot.r = records;
	const budgets = snapshotBudgets(maxBytes);
	const metrics = metricsWithin(state, budgets.metrics);
	snapshot.m = metrics.json;
	const withoutMetrics = storedByteLength({ ...snapshot, m: { s: [] } });
	let used = storedByteLength(snapshot);
	const cacheLimit = used + Math.max(budgets.cacheReserve, maxBytes - budgets.metrics - withoutMetrics);

	const candidates = persistableEntries(state);
	let droppedCacheEntries = 0;
	let misfitsInARow = 0;
	for (let index = 0; index < candidates.length; index++) {
		const { namespace, key, entry } = candidates[index];
		// An entry too large for the room left is skipped, not the end: one huge answer must not push every
		// smaller one out. Its approximate size, a lower bound of its cost, spares serialising it.
		const tuple: CacheEntryTuple = [key, entry.value, entry.storedAt, entry.expiresAt];
		const hits = entry.hits ?? 0;
		if (hits > 0 || entry.worthUsd) tuple.push(hits);
		if (entry.worthUsd) tuple.push(entry.worthUsd);
		// `"namespace":[]` and a comma for a namespace's first entry
		const header = snapshot.c[namespace] ? 0 : embeddedJsonByteLength(namespace) + 4;
		// tuple and comma
		const cost = used + entry.size + header > cacheLimit ? Infinity : embeddedJsonByteLength(tuple) + 1 + header;
		if (used + cost > cacheLimit) {
			droppedCacheEntries++;
			// A run of misfits means the snapshot is full, and the rest is worth less: it is counted as dropped
			// unseen, so a full snapshot costs a few looks, not one per entry.
			if (++misfitsInARow >= MAX_MISFITS_IN_A_ROW) {
				droppedCacheEntries += candidates.length - index - 1;
				break;
			}
			continue;
		}
		misfitsInARow = 0;
		(snapshot.c[namespace] ??= []).push(tuple);
		used += cost;
	}
	const stored = storedForm(snapshot);
	return { snapshot, stored, bytes: jsonByteLength(stored), droppedBuckets: metrics.droppedBuckets, droppedCacheEntries };
}

function storedForm({ sid, at, by, ...content }: Snapshot): StoredSnapshot {
	return { v: SNAPSHOT_VERSION, sid, at, by, body: JSON.stringify(content) };
}

/** `jsonByteLength(storedForm(snapshot))` with one serialisation of the content instead of two. */
function storedByteLength({ sid, at, by, ...content }: Snapshot): number {
	return jsonByteLength({ v: SNAPSHOT_VERSION, sid, at, by, body: '' }) + embeddedJsonByteLength(content);
}

/**
 * The metrics within `budget` bytes as stored. Their budget counts plain JSON; escaped, their many quotes take
 * more, so the budget shrinks by what escaping added (a stable share: it repeats with every bucket).
 */
function metricsWithin(state: WorkflowState, budget: number): ReturnType<WorkflowState['metrics']['toJSON']> {
	let plainBudget = budget;
	let metrics = state.metrics.toJSON(plainBudget);
	for (let attempt = 0; attempt < 3; attempt++) {
		const stored = embeddedJsonByteLength(metrics.json);
		if (stored <= budget) break;
		plainBudget = Math.floor((plainBudget * budget) / stored);
		metrics = state.metrics.toJSON(plainBudget);
	}
	return metrics;
}

interface Candidate {
	namespace: string;
	key: string;
	entry: CacheEntry;
}

/** Every persistable live entry of every cache, worth most first. */
function persistableEntries(state: WorkflowState): Candidate[] {
	const candidates: Candidate[] = [];
	for (const [namespace, cache] of state.caches) {
		for (const [key, entry] of cache.entries()) {
			if (entry.persist) candidates.push({ namespace, key, entry });
		}
	}
	return candidates.sort(byValue);
}

/**
 * What an entry has earned: the money its hits saved first, then its hits (answers of an unpriced model, or
 * priced ones with the same savings), then how recently it was used.
 */
function byValue(a: Candidate, b: Candidate): number {
	const hitsA = a.entry.hits ?? 0;
	const hitsB = b.entry.hits ?? 0;
	return (
		hitsB * (b.entry.worthUsd ?? 0) - hitsA * (a.entry.worthUsd ?? 0) ||
		hitsB - hitsA ||
		(b.entry.usedAt ?? b.entry.storedAt) - (a.entry.usedAt ?? a.entry.storedAt)
	);
}

export class SnapshotFormatError extends Error {
	override name = 'SnapshotFormatError';
}

/**
 * Reads a value from static data: a stored snapshot (version 2) or one written by an older version (1, the content
 * as objects). Throws {@link SnapshotFormatError} saying what is wrong.
 */
export function parseSnapshot(raw: unknown): Snapshot {
	if (!isPlainObject(raw)) throw new SnapshotFormatError('it is not an object');
	if (raw.v !== SNAPSHOT_VERSION && raw.v !== 1) {
		throw new SnapshotFormatError(`its version is ${JSON.stringify(raw.v) ?? 'missing'}, expected ${SNAPSHOT_VERSION}`);
	}
	if (typeof raw.sid !== 'string' || typeof raw.by !== 'string' || typeof raw.at !== 'number') {
		throw new SnapshotFormatError('its header (sid, by, at) is incomplete');
	}
	const content = raw.v === 1 ? raw : parseBody(raw.body);
	if (!isPlainObject(content.c)) throw new SnapshotFormatError('its cache section is not an object');
	for (const [namespace, entries] of Object.entries(content.c)) {
		if (!Array.isArray(entries)) throw new SnapshotFormatError(`cache "${namespace}" is not a list`);
		entries.forEach((entry: unknown, index) => {
			if (
				!Array.isArray(entry) ||
				entry.length < 4 ||
				entry.length > 6 ||
				typeof entry[0] !== 'string' ||
				typeof entry[2] !== 'number' ||
				typeof entry[3] !== 'number' ||
				!entry.slice(4).every((count) => typeof count === 'number' && Number.isFinite(count) && count >= 0)
			) {
				throw new SnapshotFormatError(`cache "${namespace}" entry ${index} is malformed`);
			}
		});
	}
	return {
		sid: raw.sid,
		at: raw.at,
		by: raw.by,
		...(content.r === undefined ? {} : { r: content.r as Record<string, unknown> }),
		m: content.m,
		c: content.c as Snapshot['c'],
	};
}

function parseBody(body: unknown): Record<string, unknown> {
	if (typeof body !== 'string') throw new SnapshotFormatError('its body is not text');
	let content: unknown;
	try {
		content = JSON.parse(body);
	} catch {
		throw new SnapshotFormatError('its body is not JSON');
	}
	if (!isPlainObject(content)) throw new SnapshotFormatError('its body is not an object');
	return content;
}

/**
 * Merges a parsed snapshot into the in-memory state. Metrics are validated before anything changes; a
 * malformed metrics section throws {@link SnapshotFormatError}.
 */
export function mergeSnapshot(state: WorkflowState, snapshot: Snapshot): { cacheEntriesTaken: number } {
	try {
		state.records.merge(snapshot.r);
		state.metrics.merge(snapshot.m);
	} catch (error) {
		throw new SnapshotFormatError((error as Error).message);
	}
	let cacheEntriesTaken = 0;
	for (const [namespace, entries] of Object.entries(snapshot.c)) {
		const cache = state.cache(namespace);
		// Least valuable first, so the most valuable ends up most recent, the last to leave the cache.
		for (let index = entries.length - 1; index >= 0; index--) {
			const [key, value, storedAt, expiresAt, hits, worthUsd] = entries[index];
			if (cache.absorb(key, { value, storedAt, expiresAt, persist: true, hits, worthUsd, usedAt: storedAt })) cacheEntriesTaken++;
		}
	}
	return { cacheEntriesTaken };
}
