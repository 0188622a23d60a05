/** Mantissas of "nice" steps; consecutive steps differ by at most a factor of 2, which bounds the tick count. */
const NICE_MANTISSAS = [1, 2, 2.5, 5] as const;

export interface NiceTicks {
	/** Tick values from 0 up, the last one at or above the data maximum. */
	values: number[];
	/** Labels for the values in their shortest form (`0.5`, not `0.50`), all with the same k/M suffix. */
	labels: string[];
}

/**
 * Ticks from 0 that cover `maxValue` with the smallest nice step (1, 2, 2.5 or 5 × 10^n) giving at most
 * `maxIntervals` intervals. Since each nice step is at most twice the one before, the result has between
 * `maxIntervals / 2` and `maxIntervals` intervals: 3 or 4 (4 or 5 ticks) for the default.
 */
export function niceTicks(maxValue: number, maxIntervals = 4): NiceTicks {
	if (!Number.isFinite(maxValue) || maxValue < 0) throw new RangeError(`Expected \`maxValue\` to be a finite number from 0 up, got ${maxValue}`);
	if (!Number.isInteger(maxIntervals) || maxIntervals < 1) throw new RangeError(`Expected \`maxIntervals\` to be an integer from 1 up, got ${maxIntervals}`);
	// An all-zero series still gets a readable 0..1 axis.
	const max = maxValue > 0 ? maxValue : 1;
	let exponent = Math.floor(Math.log10(max / maxIntervals));
	for (;;) {
		for (const mantissa of NICE_MANTISSAS) {
			const step = mantissa * 10 ** exponent;
			// The tolerance keeps 0.4 / 0.1 = 4.000000000000001 at 4 intervals.
			const intervals = Math.max(1, Math.ceil(max / step - 1e-9));
			if (intervals <= maxIntervals) return buildTicks(step, mantissa, exponent, intervals);
		}
		exponent++;
	}
}

function buildTicks(step: number, mantissa: number, exponent: number, intervals: number): NiceTicks {
	// toPrecision trims binary noise such as 3 × 0.1 = 0.30000000000000004.
	const values = Array.from({ length: intervals + 1 }, (_, index) => Number((index * step).toPrecision(12)));
	const top = values[values.length - 1];
	const [divisor, suffix] = top >= 1e7 ? [1e6, 'M'] : top >= 1e4 ? [1e3, 'k'] : [1, ''];
	// Decimals the step needs: 2.5 × 10^n has one more than 10^n; a suffix shifts the exponent.
	const decimals = Math.max(0, (mantissa === 2.5 ? 1 : 0) - (exponent - Math.log10(divisor)));
	const labels = values.map((value) => (value === 0 ? '0' : `${Number((value / divisor).toFixed(decimals))}${suffix}`));
	return { values, labels };
}
