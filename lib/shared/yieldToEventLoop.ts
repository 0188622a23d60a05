/** Lets timers, I/O and other requests run before long work continues (a macrotask, not a microtask). */
export function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Yields once every `budgetMs` of synchronous work, so a long loop never holds n8n's event loop for longer than
 * that. Call `maybeYield()` between units of work; it costs a clock read when no yield is due.
 */
export class WorkSlicer {
	private sliceStart: number;

	constructor(private readonly budgetMs = 15, private readonly now: () => number = () => performance.now()) {
		this.sliceStart = now();
	}

	async maybeYield(): Promise<void> {
		if (this.now() - this.sliceStart < this.budgetMs) return;
		await yieldToEventLoop();
		this.sliceStart = this.now();
	}
}
