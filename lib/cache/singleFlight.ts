/**
 * Coalesces concurrent calls for the same key into one: the first caller runs the work, the others wait for
 * its result ("inflight-unique"). The entry leaves when the work settles, rejection included, so a failure is
 * shared by those already waiting but never cached for later callers.
 */
export class SingleFlight<T> {
	private readonly inFlight = new Map<string, Promise<T>>();

	async run(key: string, work: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
		const existing = this.inFlight.get(key);
		if (existing !== undefined) return { value: await existing, shared: true };
		const promise = (async () => {
			try {
				return await work();
			} finally {
				this.inFlight.delete(key);
			}
		})();
		this.inFlight.set(key, promise);
		return { value: await promise, shared: false };
	}

	get size(): number {
		return this.inFlight.size;
	}
}
