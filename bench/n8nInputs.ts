/** The items each comparison of the n8n benchmark sends, the same for every setup of a round. */

/** A small deterministic generator (mulberry32), so every run draws the same prompts. */
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
		mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
		return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
	};
}

/** `count` ranks from 1 to `distinct`, Zipf-distributed (s = 1): rank k is drawn with weight 1/k. */
export function zipfRanks(count: number, distinct: number, seed: number): number[] {
	const cumulative: number[] = [];
	let total = 0;
	for (let rank = 1; rank <= distinct; rank++) cumulative.push((total += 1 / rank));
	const random = seededRandom(seed);
	return Array.from({ length: count }, () => {
		const target = random() * total;
		let low = 0;
		let high = distinct - 1;
		while (low < high) {
			const middle = (low + high) >> 1;
			if (cumulative[middle] < target) low = middle + 1;
			else high = middle;
		}
		return low + 1;
	});
}

/** Prompts for one round: a new wording per round, so no cache carries answers from one round to the next. */
export function promptItems(count: number, distinct: number, round: string): Array<{ prompt: string }> {
	return zipfRanks(count, distinct, 21).map((rank) => ({ prompt: `[${round}] Summarise support ticket #${rank} in one sentence.` }));
}

export function recordItems(count: number): Array<Record<string, unknown>> {
	return Array.from({ length: count }, (_, index) => ({ id: index, name: `record-${index}`, value: index * 3 }));
}

export function letterItems(count: number): Array<Record<string, unknown>> {
	const cities = ['Lyon', 'Porto', 'Gent', 'Turku', 'Graz'];
	return Array.from({ length: count }, (_, index) => ({
		title: index % 2 ? 'Ms' : 'Mr',
		last_name: `Name${index}`,
		order_id: `A-${100000 + index}`,
		amount: (index % 997) + 0.5,
		city: cities[index % cities.length],
		due: `2026-0${(index % 9) + 1}-1${index % 10}`,
	}));
}
