/**
 * The source of "now" for every engine. Engines never call `Date.now()` themselves so that tests can move
 * time with a fake clock instead of waiting (TTL, time buckets, backoff).
 */
export interface Clock {
	/** Milliseconds since the Unix epoch. */
	now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests and benchmarks. */
export class ManualClock implements Clock {
	constructor(private current = Date.UTC(2026, 0, 1)) {}

	now(): number {
		return this.current;
	}

	advance(milliseconds: number): void {
		this.current += milliseconds;
	}

	set(epochMilliseconds: number): void {
		this.current = epochMilliseconds;
	}
}
