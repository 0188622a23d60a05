/** An integer option from `min` up, or its default when absent; a precise TypeError otherwise. */
export function integerOption(name: string, value: number | undefined, fallback: number, min: number): number {
	if (value === undefined) return fallback;
	if (!Number.isInteger(value) || value < min) {
		throw new TypeError(`Expected \`${name}\` to be an integer from ${min} and up, got ${value}`);
	}
	return value;
}

/**
 * A duration option in ms, or its default when absent. The ceiling keeps it within what `setTimeout` and
 * undici's timers can hold.
 */
export function msOption(name: string, value: number | undefined, fallback: number, min: number): number {
	if (value === undefined) return fallback;
	if (!Number.isFinite(value) || value < min || value > 2_147_483_647) {
		throw new TypeError(`Expected \`${name}\` to be a number of ms from ${min} to 2147483647, got ${value}`);
	}
	return value;
}
