const MINUTE_MS = 60_000;

/** Tick spacings in minutes; each divides a day (or is whole days), so ticks fall on round UTC times. */
const STEPS_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080] as const;

export interface TimeTick {
	at: number;
	/** HH:MM in UTC. */
	label: string;
}

export function formatUtcTime(at: number): string {
	return new Date(at).toISOString().slice(11, 16);
}

/** `YYYY-MM-DD HH:MM` in UTC. */
export function formatUtcDateTime(at: number): string {
	const iso = new Date(at).toISOString();
	return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/**
 * A handful of round UTC times inside [from, to]: the smallest step from the list that needs at most
 * `maxTicks` ticks. Times are aligned to multiples of the step since the epoch, which for steps that divide a
 * day means aligned to UTC midnight.
 */
export function timeTicks(from: number, to: number, maxTicks: number): TimeTick[] {
	if (!(to >= from)) throw new RangeError(`Expected the time range to end at or after its start, got ${from}..${to}`);
	const limit = Math.max(1, maxTicks);
	for (const minutes of STEPS_MINUTES) {
		const step = minutes * MINUTE_MS;
		const first = Math.ceil(from / step) * step;
		if (first > to || Math.floor((to - first) / step) + 1 > limit) continue;
		const ticks: TimeTick[] = [];
		for (let at = first; at <= to; at += step) ticks.push({ at, label: formatUtcTime(at) });
		return ticks;
	}
	// Longer than the largest step allows: just the two ends.
	return [
		{ at: from, label: formatUtcTime(from) },
		{ at: to, label: formatUtcTime(to) },
	];
}
