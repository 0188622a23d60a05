/**
 * How the analysis engines write numbers into sentences. Messages and suggestions are read by people in n8n's
 * output panel or a chat message, so figures are short: at most one decimal for percentages and milliseconds.
 */

/** A ratio (0..1) as a percentage with at most one decimal: 0.125 -> "12.5%", 0.14 -> "14%". */
export function formatPercent(ratio: number): string {
	return `${roundTo(ratio * 100, 1)}%`;
}

/** A duration with at most one decimal: 412.46 -> "412.5 ms". */
export function formatMs(milliseconds: number): string {
	return `${roundTo(milliseconds, 1)} ms`;
}

/** Dollars with cents, or four decimals below a dollar, where single calls cost fractions of a cent. */
export function formatUsd(usd: number): string {
	return `$${usd >= 1 ? usd.toFixed(2) : usd.toFixed(4)}`;
}

export function roundTo(value: number, digits: number): number {
	const scale = 10 ** digits;
	return Math.round(value * scale) / scale;
}
