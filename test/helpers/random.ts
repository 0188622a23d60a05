/** A small seeded PRNG (mulberry32) so tests and benchmarks draw the same numbers on every run. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Log-normal samples (Box-Muller): latency-shaped data with a long right tail. */
export function logNormalSampler(random: () => number, mu: number, sigma: number): () => number {
	return () => {
		const u1 = random() || Number.MIN_VALUE;
		const u2 = random();
		return Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
	};
}

/** The value at rank q × (n − 1) of a sorted array: the exact counterpart of our percentiles. */
export function exactQuantile(sorted: Float64Array | number[], quantile: number): number {
	return sorted[Math.floor(quantile * (sorted.length - 1))];
}
