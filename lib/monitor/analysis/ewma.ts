/**
 * Exponentially weighted moving average: s = alpha × x + (1 − alpha) × previous s, seeded with the first value.
 * A missing value (an empty bucket has no error rate or latency) keeps the previous average instead of pulling
 * it towards 0; before the first value the average is missing too.
 */
export function ewma(values: ReadonlyArray<number | null>, alpha: number): Array<number | null> {
	if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`Expected \`alpha\` to be in (0, 1], got ${alpha}`);
	const smoothed: Array<number | null> = [];
	let average: number | null = null;
	for (const value of values) {
		if (value !== null) average = average === null ? value : alpha * value + (1 - alpha) * average;
		smoothed.push(average);
	}
	return smoothed;
}
