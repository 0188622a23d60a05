import { NearDuplicateIndex, type NearDuplicateLookupOptions } from '../../../lib/dedup';
import { DIFFERENT_MEANING } from './corpus/differentMeaning';
import { FORMATTING_ONLY } from './corpus/formattingOnly';

// The Similarity Threshold option allows 0.5 to 1 (default 0.97): its minimum, default and every step between.
const THRESHOLDS = Array.from({ length: 51 }, (_, step) => (50 + step) / 100);
const DEFAULT_THRESHOLD = 0.97;

// A long shared context around each pair: texts that differ in a few characters out of hundreds, which is
// where a similarity score alone would merge them.
const PREFIX =
	'You are a careful assistant for a support team. Read the request below, answer it precisely, keep the reply ' +
	'short and plain, and never invent facts you were not given. If something is ambiguous, ask one clarifying ' +
	'question. Request: ';
const SUFFIX = ' Reply in the language of the request and keep it under fifty words, without greetings or sign-offs.';

type Pair = [string, string];
const label = ([a, b]: Pair) => `${JSON.stringify(a)} / ${JSON.stringify(b)}`;

/** The best score with which either prompt of a pair reuses the other, bare or in context; undefined if never. */
function mergeScore([a, b]: Pair, threshold: number, options?: NearDuplicateLookupOptions): number | undefined {
	let best: number | undefined;
	for (const [earlier, later] of [
		[a, b],
		[b, a],
	]) {
		for (const [before, after] of [
			['', ''],
			[PREFIX, SUFFIX],
		]) {
			const index = new NearDuplicateIndex({ maxEntries: 10 });
			index.add('scope', `${before}${earlier}${after}`, 'earlier');
			const match = index.findSimilar('scope', `${before}${later}${after}`, threshold, undefined, options);
			if (match !== undefined) best = Math.max(best ?? 0, match.score);
		}
	}
	return best;
}

const differentMeaning = DIFFERENT_MEANING.flatMap((group) => group.pairs);
const formattingOnly = FORMATTING_ONLY.flatMap((group) => group.pairs);

describe('near-duplicate corpus', () => {
	it('holds at least 200 pairs of different meaning, all different as written', () => {
		expect(differentMeaning.length).toBeGreaterThanOrEqual(200);
		for (const [a, b] of differentMeaning) expect(a).not.toBe(b);
	});

	it.each(DIFFERENT_MEANING.map((group) => [group.name, group.pairs] as const))(
		'never merges pairs of different meaning (%s) at any threshold the option allows',
		(_name, pairs) => {
			const merged = pairs.filter((pair) => THRESHOLDS.some((threshold) => mergeScore(pair, threshold) !== undefined));
			expect(merged.map(label)).toEqual([]);
		},
	);

	it('merges formatting-only pairs at the default threshold, with score 1, and reports the recall', () => {
		const merged = formattingOnly.filter((pair) => mergeScore(pair, DEFAULT_THRESHOLD) !== undefined);
		for (const pair of merged) expect(mergeScore(pair, 1)).toBe(1);
		const recall = merged.length / formattingOnly.length;
		const missed = formattingOnly.filter((pair) => !merged.includes(pair));
		console.log(
			`Near-duplicate recall on formatting-only pairs: ${merged.length}/${formattingOnly.length} ` +
				`(${(recall * 100).toFixed(0)} %); kept apart:\n${missed.map(label).join('\n')}`,
		);
		// Measured: 41 of 50 (the last group of the set is kept apart on purpose, see formattingOnly.ts).
		expect(merged.length).toBeGreaterThanOrEqual(41);
		// Every group of real formatting differences merges at least once.
		for (const group of FORMATTING_ONLY.slice(0, -1)) {
			expect(group.pairs.some((pair) => merged.includes(pair))).toBe(true);
		}
	});
});

describe('near-duplicate corpus with typo tolerance on', () => {
	const typos = { allowTypos: true };

	it('merges only real words one inner letter apart among the pairs of different meaning', () => {
		const merged = differentMeaning.filter((pair) => mergeScore(pair, 0.5, typos) !== undefined);
		// The documented limit: Colombia (the country) and Columbia differ by one letter inside a long word.
		expect(merged.map(label)).toEqual([label(['Name the rivers of Colombia', 'Name the rivers of Columbia'])]);
		// In a short prompt one letter weighs more: the default threshold keeps that one apart, in context it merges.
		expect(mergeScore(['Name the rivers of Colombia', 'Name the rivers of Columbia'], DEFAULT_THRESHOLD, typos)).toBeGreaterThan(0.99);
	});

	it('merges typos inside long words, below 1, and what the threshold allows', () => {
		const pairs: Pair[] = [
			['Summarise the quarterly sales report for the European region', 'Summarise the quartely sales report for the European region'],
			['The delivery was quick and the product works great', 'The delivrey was quick and the product works great'],
			['Please describe the necessary steps', 'Please describe the neccessary steps'],
		];
		for (const pair of pairs) {
			const score = mergeScore(pair, 0.5, typos);
			expect(score).toBeGreaterThan(0.97);
			expect(score).toBeLessThan(1);
			expect(mergeScore(pair, 0.5)).toBeUndefined();
		}
		// Short text: one edit in 29 characters scores 0.966, under the default threshold.
		const index = new NearDuplicateIndex({ maxEntries: 10 });
		index.add('scope', 'Describe the necessary steps', 'earlier');
		expect(index.findSimilar('scope', 'Describe the neccessary steps', 0.96, undefined, typos)?.score).toBe(1 - 1 / 29);
		expect(index.findSimilar('scope', 'Describe the neccessary steps', DEFAULT_THRESHOLD, undefined, typos)).toBeUndefined();
	});
});
