/**
 * Marks an error with a fact about how it came about, as a non-enumerable property, so the error itself (its
 * class, message, n8n error type) reaches the caller unchanged. Primitives and frozen objects cannot carry it
 * and are returned unmarked.
 */
export function markError(error: unknown, key: string, value: unknown): unknown {
	if ((typeof error === 'object' && error !== null) || typeof error === 'function') {
		try {
			Object.defineProperty(error, key, { value, enumerable: false, writable: true, configurable: true });
		} catch {
			// Frozen, or an own non-configurable property of that name: leave the error as it is.
		}
	}
	return error;
}

/** A mark set by {@link markError} (or any property of that name); `undefined` for primitives. */
export function errorMark(error: unknown, key: string): unknown {
	if ((typeof error !== 'object' || error === null) && typeof error !== 'function') return undefined;
	return (error as Record<string, unknown>)[key];
}
