/** How engines wait. Production passes `sleepWithSignal`; tests pass a fake that moves a `ManualClock`. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The longest delay `setTimeout` honours; longer ones overflow and fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Waits `ms` milliseconds, or rejects with the signal's reason as soon as it aborts, clearing the timer
 * (n8n's own `sleep` cannot be cancelled, so an aborted execution would otherwise hang on to its wait).
 */
export function sleepWithSignal(ms: number, signal?: AbortSignal): Promise<void> {
	if (!Number.isFinite(ms) || ms < 0 || ms > MAX_TIMER_MS) {
		return Promise.reject(new RangeError(`Expected \`ms\` to be a number from 0 to ${MAX_TIMER_MS}, got ${ms}`));
	}
	if (signal?.aborted) return Promise.reject(signal.reason);
	return new Promise<void>((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal?.reason);
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts, whichever comes first.
 * Guards against an injected `sleep` that ignores its signal: the caller stops waiting even if the timer runs on.
 */
export function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
	if (signal === undefined) return promise;
	if (signal.aborted) {
		// The losing promise may still reject later; nobody else is listening to it.
		promise.catch(() => undefined);
		return Promise.reject(signal.reason);
	}
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}
