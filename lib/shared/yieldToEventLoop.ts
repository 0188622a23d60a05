/** Lets timers, I/O and other requests run before long work continues (a macrotask, not a microtask). */
export function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Yields once every `budgetMs` of synchronous work, so a long loop never holds n8n's event loop for longer than
 * that. A sequential loop calls `maybeYield()` between units of work (a clock read when no yield is due); tasks
 * that run concurrently on one slicer start their work through `run()`.
 */
export class WorkSlicer {
	private sliceStart: number;
	private pendingYield: Promise<void> | undefined;

	constructor(private readonly budgetMs = 15, private readonly now: () => number = () => performance.now()) {
		this.sliceStart = now();
	}

	async maybeYield(): Promise<void> {
		if (this.due()) await this.yieldOnce();
	}

	/**
	 * Starts `work` once the current slice has room. The budget is checked in the same synchronous step that
	 * starts `work`, and every task that finds the slice used up waits on one shared yield, then checks again.
	 * With `await maybeYield(); work()` instead, hundreds of tasks resuming from one yield would all pass the
	 * check before any of them started its work, and run as one block as long as all their work together.
	 */
	async run<T>(work: () => Promise<T>): Promise<T> {
		while (this.due()) {
			await this.yieldOnce();
			// A budget of 0 (yield before every unit) must not wait forever for an empty slice.
			if (this.budgetMs <= 0) break;
		}
		return await work();
	}

	private due(): boolean {
		return this.now() - this.sliceStart >= this.budgetMs;
	}

	/** One turn of the event loop, shared by every task that asks while it is pending; the next slice starts after it. */
	private yieldOnce(): Promise<void> {
		this.pendingYield ??= yieldToEventLoop().then(() => {
			this.pendingYield = undefined;
			this.sliceStart = this.now();
		});
		return this.pendingYield;
	}
}
