import type { ManualClock } from '../../../lib/shared/clock';
import type { Sleep } from '../../../lib/resilience/sleep';

/** A sleep that returns at once after moving the clock by the asked delay, and keeps the delays it was asked for. */
export function advancingSleep(clock: ManualClock): { sleep: Sleep; delays: number[] } {
	const delays: number[] = [];
	const sleep: Sleep = async (ms, signal) => {
		signal?.throwIfAborted();
		delays.push(ms);
		clock.advance(ms);
	};
	return { sleep, delays };
}

interface Timer {
	dueAt: number;
	resolve: () => void;
}

/** Lets every pending promise callback run; real time does not matter here, only the event loop turning. */
export function settle(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Sleeps that end only when the test moves a `ManualClock` past them, so several waits can be pending at once
 * and an abort can land in the middle of one.
 */
export class ManualTimers {
	readonly delays: number[] = [];
	private timers: Timer[] = [];

	constructor(private readonly clock: ManualClock) {}

	readonly sleep: Sleep = (ms, signal) => {
		if (signal?.aborted) return Promise.reject(signal.reason);
		this.delays.push(ms);
		return new Promise<void>((resolve, reject) => {
			const timer: Timer = { dueAt: this.clock.now() + ms, resolve };
			this.timers.push(timer);
			signal?.addEventListener(
				'abort',
				() => {
					this.timers = this.timers.filter((other) => other !== timer);
					reject(signal.reason);
				},
				{ once: true },
			);
		});
	};

	get pendingTimers(): number {
		return this.timers.length;
	}

	/** Moves the clock forward by `ms`, stopping at each timer on the way to fire it and let its callers run. */
	async advance(ms: number): Promise<void> {
		const until = this.clock.now() + ms;
		for (;;) {
			await settle();
			const next = this.nextDue();
			if (next === undefined || next.dueAt > until) break;
			this.fire(next);
		}
		this.clock.set(until);
		await settle();
	}

	/** Fires timers in time order until none is left (or `maxTimers` fired, against a test that never ends). */
	async runAll(maxTimers = 100_000): Promise<void> {
		for (let fired = 0; fired < maxTimers; fired++) {
			await settle();
			const next = this.nextDue();
			if (next === undefined) return;
			this.fire(next);
		}
		throw new Error(`Expected the timers to run out within ${maxTimers} firings`);
	}

	private nextDue(): Timer | undefined {
		let earliest: Timer | undefined;
		for (const timer of this.timers) if (earliest === undefined || timer.dueAt < earliest.dueAt) earliest = timer;
		return earliest;
	}

	private fire(timer: Timer): void {
		this.timers = this.timers.filter((other) => other !== timer);
		if (timer.dueAt > this.clock.now()) this.clock.set(timer.dueAt);
		timer.resolve();
	}
}
