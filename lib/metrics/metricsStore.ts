import type { Clock } from '../shared/clock';
import { isPlainObject, jsonByteLength } from '../shared/json';
import { WorkSlicer } from '../shared/yieldToEventLoop';
import { CounterSet, newerCounterSet } from './counterSet';
import { addInstanceSetsInto, coarserBins, foldHorizonAt, foldMinutesIntoHours, hourStartOf } from './hourBuckets';
import { seriesKey, type MetricEvent, type SeriesId } from './metricEvent';

export const MINUTE_MS = 60_000;

export interface MetricsStoreOptions {
	/** The process instance that records into this store; see {@link CounterSet} for why counts are per instance. */
	instanceId: string;
	clock: Clock;
	/** How many per-minute buckets to keep. @default 1440 (24 h) */
	retentionMinutes?: number;
	/** Series beyond this many are not tracked (one warning); a workflow has a handful. @default 1000 */
	maxSeries?: number;
	onSeriesLimit?: (series: SeriesId) => void;
}

/** Per-instance counter sets, keyed by instance id. */
type InstanceSets = Map<string, CounterSet>;

interface Series extends SeriesId {
	totals: InstanceSets;
	/** Keyed by minute number (epoch ms / 60 000). */
	minutes: Map<number, InstanceSets>;
	ownTotals: CounterSet;
	ownMinute: number;
	ownMinuteSet: CounterSet | undefined;
}

/** A series' counters summed over instances (and over minutes, for a window). */
export interface SeriesAggregate extends SeriesId {
	counters: CounterSet;
}

export interface MetricsWindow {
	/** Inclusive start, epoch ms; the minute containing it is included. Omit both for all-time totals. */
	sinceMs?: number;
	/** Exclusive end, epoch ms. @default now */
	untilMs?: number;
}

/**
 * Persisted form: `e` = reset epoch (absent = 0), `s` = series list with type, name, operation, totals, hour
 * buckets (`hr`, keyed by the minute their hour starts) and minute buckets (`min`).
 */
export interface MetricsJson {
	e?: number;
	s: Array<{
		t: string;
		n: string;
		o: string;
		tot: Record<string, unknown>;
		hr?: Record<string, Record<string, unknown>>;
		min?: Record<string, Record<string, unknown>>;
	}>;
}

/**
 * Counters and latency histograms per series (component + operation), all-time and per minute, for one
 * workflow. Recording is a few property increments; reading sums instances and buckets.
 */
export class MetricsStore {
	readonly instanceId: string;
	private readonly clock: Clock;
	private readonly retentionMinutes: number;
	private readonly maxSeries: number;
	private readonly onSeriesLimit?: (series: SeriesId) => void;
	private readonly series = new Map<string, Series>();
	private prunedAtMinute = 0;
	/** Buckets before this minute are whole hours (see `hourBuckets.ts`); an hour-aligned minute number. */
	private foldedBefore = 0;
	/**
	 * Every series and instance summed per minute, kept up to date by `record` so a day of per-minute trend
	 * points is read without adding thousands of sets. Derived data: a merge clears it and the next read rebuilds.
	 */
	private totalsByMinute = new Map<number, CounterSet>();
	private totalsByMinuteValid = true;
	private seriesLimitReported = false;
	/** Grows on every change; lets the state layer skip writing an unchanged snapshot. */
	revision = 0;
	/**
	 * Reset generation. A reset starts a new epoch; copies from an older epoch are ignored when merged, so stale
	 * snapshots of concurrent executions cannot bring reset counts back (and a newer epoch replaces ours).
	 */
	private epochValue = 0;

	constructor(options: MetricsStoreOptions) {
		if (!options.instanceId) throw new TypeError('Expected `instanceId` to be a non-empty string');
		const retentionMinutes = options.retentionMinutes ?? 1440;
		if (!Number.isInteger(retentionMinutes) || retentionMinutes < 1) {
			throw new TypeError('Expected `retentionMinutes` to be an integer from 1 and up');
		}
		this.instanceId = options.instanceId;
		this.clock = options.clock;
		this.retentionMinutes = retentionMinutes;
		this.maxSeries = options.maxSeries ?? 1000;
		this.onSeriesLimit = options.onSeriesLimit;
	}

	record(event: MetricEvent): void {
		const series = this.seriesFor(event);
		if (series === undefined) return;
		const at = event.at ?? this.clock.now();
		const exactMinute = Math.floor(at / MINUTE_MS);
		// An event dated in an hour already merged counts in that hour's bucket.
		const minute = exactMinute < this.foldedBefore ? hourStartOf(exactMinute) : exactMinute;
		series.ownTotals.record(event);
		let minuteSet = series.ownMinute === minute ? series.ownMinuteSet : undefined;
		if (minuteSet === undefined) {
			minuteSet = this.ownSetAt(series, minute);
			if (minute >= series.ownMinute) {
				series.ownMinute = minute;
				series.ownMinuteSet = minuteSet;
			}
		}
		minuteSet.record(event);
		if (this.totalsByMinuteValid) {
			let total = this.totalsByMinute.get(minute);
			if (total === undefined) this.totalsByMinute.set(minute, (total = new CounterSet()));
			total.record(event);
		}
		// Pruning and merging old minutes into hours walk every bucket, so they run every 10 minutes of
		// progress, not on every new minute.
		if (minute >= this.prunedAtMinute + 10) {
			this.prune(minute);
			this.foldTo(foldHorizonAt(minute));
		}
		this.revision++;
	}

	/**
	 * Totals (no window) or the sum of the minute buckets inside the window, per series. A day of a thousand
	 * series is over a million buckets to add, so the walk yields through `slicer` between series.
	 */
	async query(window: MetricsWindow = {}, slicer: WorkSlicer = new WorkSlicer()): Promise<SeriesAggregate[]> {
		const result: SeriesAggregate[] = [];
		const allTime = window.sinceMs === undefined && window.untilMs === undefined;
		const fromMinute = Math.floor((window.sinceMs ?? 0) / MINUTE_MS);
		const toMinute = Math.ceil((window.untilMs ?? this.clock.now() + 1) / MINUTE_MS);
		// A snapshot of the list: records and merges may change the map while the walk yields.
		for (const series of [...this.series.values()]) {
			const counters = new CounterSet();
			if (allTime) {
				for (const set of series.totals.values()) counters.add(set);
			} else {
				sumMinutesInto(series, fromMinute, toMinute, () => counters);
			}
			result.push({ nodeType: series.nodeType, nodeName: series.nodeName, operation: series.operation, counters });
			await slicer.maybeYield();
		}
		return result;
	}

	/**
	 * Minute-by-minute sums of the series `filter` accepts (all when absent), oldest first, yielding through
	 * `slicer` between series. Without a filter the returned sets are the store's own running totals: read them,
	 * never change them.
	 */
	async minuteSeries(
		window: Required<MetricsWindow>,
		filter?: (id: SeriesId) => boolean,
		slicer: WorkSlicer = new WorkSlicer(),
	): Promise<Array<{ minute: number; counters: CounterSet }>> {
		const fromMinute = Math.floor(window.sinceMs / MINUTE_MS);
		const toMinute = Math.ceil(window.untilMs / MINUTE_MS);
		if (filter === undefined && !this.totalsByMinuteValid) await this.rebuildTotalsByMinute(slicer);
		// Still invalid when the store changed during the rebuild: sum the series for this read instead.
		if (filter === undefined && this.totalsByMinuteValid) {
			return [...this.totalsByMinute.entries()]
				.filter(([minute]) => minute >= fromMinute && minute < toMinute)
				.sort((a, b) => a[0] - b[0])
				.map(([minute, counters]) => ({ minute, counters }));
		}
		const byMinute = new Map<number, CounterSet>();
		for (const series of [...this.series.values()]) {
			if (filter !== undefined && !filter(series)) continue;
			sumMinutesInto(series, fromMinute, toMinute, (minute) => sumAt(byMinute, minute));
			await slicer.maybeYield();
		}
		return [...byMinute.entries()].sort((a, b) => a[0] - b[0]).map(([minute, counters]) => ({ minute, counters }));
	}

	get epoch(): number {
		return this.epochValue;
	}

	/** Forgets every count, here and (through the epoch) in every copy merged later. */
	reset(): void {
		this.series.clear();
		this.totalsByMinute.clear();
		this.totalsByMinuteValid = true;
		this.foldedBefore = 0;
		this.epochValue++;
		this.revision++;
	}

	get seriesCount(): number {
		return this.series.size;
	}

	/**
	 * Merges a persisted or foreign copy: for every (series, bucket, instance) the newer counter set wins.
	 * Throws a `TypeError` on malformed input before changing anything.
	 */
	merge(json: unknown): void {
		const parsed = parseMetricsJson(json);
		const incomingEpoch = parseEpoch(json);
		if (incomingEpoch < this.epochValue) return;
		if (incomingEpoch > this.epochValue) {
			this.series.clear();
			this.epochValue = incomingEpoch;
			this.foldedBefore = 0;
		}
		const nowMinute = Math.floor(this.clock.now() / MINUTE_MS);
		// Both sides are brought to the same hour boundary first: an hour is compared with an hour, never with
		// its first minute, so no count is taken twice.
		const incomingFoldedBefore = Math.max(0, ...parsed.flatMap((series) => [...series.hours.keys()].map((hour) => hour + 60)));
		this.foldTo(Math.max(foldHorizonAt(nowMinute), incomingFoldedBefore));
		this.totalsByMinute.clear();
		this.totalsByMinuteValid = false;
		const oldestMinute = nowMinute - this.retentionMinutes;
		for (const incoming of parsed) {
			const series = this.seriesFor(incoming);
			if (series === undefined) continue;
			mergeInstanceSets(series.totals, incoming.totals);
			series.ownTotals = series.totals.get(this.instanceId) ?? series.ownTotals;
			const buckets = new Map(incoming.hours);
			for (const [minute, sets] of incoming.minutes) buckets.set(minute, sets);
			foldMinutesIntoHours(buckets, 0, this.foldedBefore, () => new Map(), addInstanceSetsInto);
			for (const [minute, sets] of buckets) {
				if (minute < oldestMinute) continue;
				let target = series.minutes.get(minute);
				if (target === undefined) series.minutes.set(minute, (target = new Map()));
				mergeInstanceSets(target, sets);
			}
			series.ownMinuteSet = series.minutes.get(series.ownMinute)?.get(this.instanceId);
		}
		this.revision++;
	}

	/**
	 * The persisted form within `maxBytes`: every series' totals first, then hour buckets newest first, then
	 * minute buckets newest first, while they fit. Returns how many buckets were left out.
	 */
	toJSON(maxBytes = Infinity): { json: MetricsJson; droppedBuckets: number } {
		const json: MetricsJson = this.epochValue > 0 ? { e: this.epochValue, s: [] } : { s: [] };
		const entries: Array<{ series: Series; entry: MetricsJson['s'][number] }> = [];
		const minutes = new Set<number>();
		let buckets = 0;
		for (const series of this.series.values()) {
			const entry: MetricsJson['s'][number] = {
				t: series.nodeType,
				n: series.nodeName,
				o: series.operation,
				tot: instanceSetsToJson(series.totals),
			};
			json.s.push(entry);
			entries.push({ series, entry });
			for (const minute of series.minutes.keys()) minutes.add(minute);
			buckets += series.minutes.size;
		}
		let used = jsonByteLength(json);
		// Minute by minute, newest first, each minute's buckets in series order; only the buckets that fit are
		// serialised (a full day of hundreds of series is far more than a snapshot holds).
		let kept = 0;
		// Hours first: a day at hourly resolution is worth more than a few more recent minutes.
		const newestFirst = [...minutes].sort((a, b) => b - a);
		const hoursFirst = [...newestFirst.filter((minute) => minute < this.foldedBefore), ...newestFirst.filter((minute) => minute >= this.foldedBefore)];
		fill: for (const minute of hoursFirst) {
			const field = minute < this.foldedBefore ? 'hr' : 'min';
			for (const { series, entry } of entries) {
				const sets = series.minutes.get(minute);
				if (sets === undefined) continue;
				const bucketJson = instanceSetsToJson(sets);
				// key, quotes, colon and comma; plus `"min":{}` (or `"hr":{}`) the first time a series gets one
				const cost = jsonByteLength(bucketJson) + String(minute).length + 4 + (entry[field] ? 0 : field.length + 6);
				if (used + cost > maxBytes) break fill;
				(entry[field] ??= {})[minute] = bucketJson;
				used += cost;
				kept++;
			}
		}
		return { json, droppedBuckets: buckets - kept };
	}

	private seriesFor(id: SeriesId): Series | undefined {
		const key = seriesKey(id);
		let series = this.series.get(key);
		if (series !== undefined) return series;
		if (this.series.size >= this.maxSeries) {
			if (!this.seriesLimitReported) {
				this.seriesLimitReported = true;
				this.onSeriesLimit?.(id);
			}
			return undefined;
		}
		const ownTotals = new CounterSet();
		series = {
			nodeType: id.nodeType,
			nodeName: id.nodeName,
			operation: id.operation,
			totals: new Map([[this.instanceId, ownTotals]]),
			minutes: new Map(),
			ownTotals,
			ownMinute: -1,
			ownMinuteSet: undefined,
		};
		this.series.set(key, series);
		return series;
	}

	private ownSetAt(series: Series, minute: number): CounterSet {
		let sets = series.minutes.get(minute);
		if (sets === undefined) series.minutes.set(minute, (sets = new Map()));
		let set = sets.get(this.instanceId);
		if (set === undefined) sets.set(this.instanceId, (set = new CounterSet()));
		return set;
	}

	private async rebuildTotalsByMinute(slicer: WorkSlicer): Promise<void> {
		const revision = this.revision;
		const totals = new Map<number, CounterSet>();
		for (const series of [...this.series.values()]) {
			sumMinutesInto(series, -Infinity, Infinity, (minute) => sumAt(totals, minute));
			await slicer.maybeYield();
		}
		// Built aside and kept only if nothing changed while it yielded: events recorded meanwhile into series
		// already summed would be missing from it.
		if (this.revision === revision && !this.totalsByMinuteValid) {
			this.totalsByMinute = totals;
			this.totalsByMinuteValid = true;
		}
	}

	/** Merges every minute bucket before `horizon` (hour-aligned) into its hour's bucket. */
	private foldTo(horizon: number): void {
		if (horizon <= this.foldedBefore) return;
		const from = this.foldedBefore;
		for (const series of this.series.values()) {
			foldMinutesIntoHours(series.minutes, from, horizon, () => new Map(), addInstanceSetsInto);
		}
		foldMinutesIntoHours(this.totalsByMinute, from, horizon, () => new CounterSet(), (hour, minute) => {
			hour.add(minute);
			hour.latency = coarserBins(hour.latency);
		});
		this.foldedBefore = horizon;
	}

	private prune(currentMinute: number): void {
		this.prunedAtMinute = currentMinute;
		const oldest = currentMinute - this.retentionMinutes;
		for (const minute of this.totalsByMinute.keys()) {
			if (minute < oldest) this.totalsByMinute.delete(minute);
		}
		for (const series of this.series.values()) {
			for (const minute of series.minutes.keys()) {
				if (minute < oldest) series.minutes.delete(minute);
			}
		}
	}
}

/** Adds a series' minute buckets in [fromMinute, toMinute), all instances, into the set `target` gives per minute. */
function sumMinutesInto(series: Series, fromMinute: number, toMinute: number, target: (minute: number) => CounterSet): void {
	for (const [minute, sets] of series.minutes) {
		if (minute < fromMinute || minute >= toMinute) continue;
		const sum = target(minute);
		for (const set of sets.values()) sum.add(set);
	}
}

function sumAt(byMinute: Map<number, CounterSet>, minute: number): CounterSet {
	let sum = byMinute.get(minute);
	if (sum === undefined) byMinute.set(minute, (sum = new CounterSet()));
	return sum;
}

function mergeInstanceSets(target: InstanceSets, incoming: InstanceSets): void {
	for (const [instanceId, set] of incoming) {
		target.set(instanceId, newerCounterSet(target.get(instanceId), set));
	}
}

function instanceSetsToJson(sets: InstanceSets): Record<string, unknown> {
	const json: Record<string, unknown> = {};
	for (const [instanceId, set] of sets) json[instanceId] = set.toJSON();
	return json;
}

interface ParsedSeries extends SeriesId {
	totals: InstanceSets;
	hours: Map<number, InstanceSets>;
	minutes: Map<number, InstanceSets>;
}

function parseInstanceSets(value: unknown, where: string): InstanceSets {
	if (!isPlainObject(value)) throw new TypeError(`${where} is not an object`);
	const sets: InstanceSets = new Map();
	for (const [instanceId, json] of Object.entries(value)) {
		try {
			sets.set(instanceId, CounterSet.fromJSON(json));
		} catch (error) {
			throw new TypeError(`${where}, instance "${instanceId}": ${(error as Error).message}`);
		}
	}
	return sets;
}

function parseEpoch(json: unknown): number {
	const epoch = (json as { e?: unknown }).e;
	if (epoch === undefined) return 0;
	if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0) throw new TypeError('metrics epoch is not a whole number');
	return epoch;
}

function parseMetricsJson(json: unknown): ParsedSeries[] {
	if (!isPlainObject(json) || !Array.isArray(json.s)) throw new TypeError('metrics have no series list');
	return json.s.map((entry: unknown, index: number) => {
		if (!isPlainObject(entry)) throw new TypeError(`metrics series ${index} is not an object`);
		const { t, n, o } = entry;
		if (typeof t !== 'string' || typeof n !== 'string' || typeof o !== 'string') {
			throw new TypeError(`metrics series ${index} lacks its type, name or operation`);
		}
		const where = `metrics series "${n}" (${o})`;
		const minutes = parseBuckets(entry.min, `${where}: minute buckets`);
		const hours = parseBuckets(entry.hr, `${where}: hour buckets`);
		for (const hour of hours.keys()) {
			if (hourStartOf(hour) !== hour) throw new TypeError(`${where}: hour bucket ${hour} does not start an hour`);
		}
		return { nodeType: t, nodeName: n, operation: o, totals: parseInstanceSets(entry.tot, `${where} totals`), hours, minutes };
	});
}

function parseBuckets(value: unknown, where: string): Map<number, InstanceSets> {
	const buckets = new Map<number, InstanceSets>();
	if (value === undefined) return buckets;
	if (!isPlainObject(value)) throw new TypeError(`${where} are not an object`);
	for (const [minute, sets] of Object.entries(value)) {
		if (!/^\d+$/.test(minute)) throw new TypeError(`${where}: "${minute}" is not a minute number`);
		buckets.set(Number(minute), parseInstanceSets(sets, `${where}, minute ${minute}`));
	}
	return buckets;
}
