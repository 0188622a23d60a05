/** USD as both AI nodes print it: to 1e-8 (a cent's millionth), so tiny per-call costs do not round to 0. */
export function roundUsd(value: number | null): number | null {
	return value === null ? null : Math.round(value * 1e8) / 1e8;
}
