import { CounterSet } from './counterSet';
import type { LatencyBins } from './latencyBins';

/**
 * Older minute buckets are merged into one bucket per hour, so a day of metrics is a few dozen buckets per
 * series instead of 1,440. An hour's bucket sits at the minute its hour starts (minute numbers stay the one key
 * of every bucket map, and reports read it as that minute's point).
 *
 * An hour's latency histogram is coarser: {@link HOUR_BIN_GROUP} neighbouring bins become one (percentiles of
 * hours past within about 8% instead of 1%), since a spread of latencies otherwise costs a few KB per hour.
 *
 * The last {@link MINUTE_RESOLUTION_MINUTES} minutes at least keep their own buckets: the windows people look at
 * most (the last hour) stay minute by minute, and a late copy of a recent minute can still be merged on its own.
 */
export const MINUTE_RESOLUTION_MINUTES = 60;
const MINUTES_PER_HOUR = 60;
export const HOUR_BIN_GROUP = 8;

export function hourStartOf(minute: number): number {
	return Math.floor(minute / MINUTES_PER_HOUR) * MINUTES_PER_HOUR;
}

/** The minute before which buckets are hourly at `currentMinute`: the start of the hour an hour ago. */
export function foldHorizonAt(currentMinute: number): number {
	return hourStartOf(currentMinute - MINUTE_RESOLUTION_MINUTES);
}

/**
 * Merges the minute buckets in [from, to) of `buckets` into their hour's bucket (both hour-aligned). `addInto`
 * adds one minute's bucket into its hour's (created by `empty` when missing).
 */
export function foldMinutesIntoHours<B>(
	buckets: Map<number, B>,
	from: number,
	to: number,
	empty: () => B,
	addInto: (hour: B, minute: B) => void,
): void {
	for (const [minute, bucket] of [...buckets]) {
		if (minute < from || minute >= to) continue;
		const hour = hourStartOf(minute);
		if (hour === minute) continue;
		let hourBucket = buckets.get(hour);
		if (hourBucket === undefined) buckets.set(hour, (hourBucket = empty()));
		addInto(hourBucket, bucket);
		buckets.delete(minute);
	}
}

/** Adds every instance's set of `minute` into the same instance's set of `hour`. */
export function addInstanceSetsInto(hour: Map<string, CounterSet>, minute: Map<string, CounterSet>): void {
	for (const [instanceId, set] of minute) {
		let target = hour.get(instanceId);
		if (target === undefined) hour.set(instanceId, (target = new CounterSet()));
		target.add(set);
		target.latency = coarserBins(target.latency);
	}
}

/** One bin per group of {@link HOUR_BIN_GROUP} neighbours, at the group's middle key; applying it twice changes nothing. */
export function coarserBins(bins: LatencyBins): LatencyBins {
	const coarse: LatencyBins = new Map();
	for (const [key, count] of bins) {
		const groupKey = key === 0 ? 0 : Math.floor(key / HOUR_BIN_GROUP) * HOUR_BIN_GROUP + HOUR_BIN_GROUP / 2;
		coarse.set(groupKey, (coarse.get(groupKey) ?? 0) + count);
	}
	return coarse;
}
