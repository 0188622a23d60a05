import { distance } from 'fastest-levenshtein';
import { countCharacters, editDistanceLowerBound } from '../../../lib/dedup/characterCounts';
import { couldReach, normalizedSimilarity, similarity } from '../../../lib/dedup/similarity';
import { seededRandom } from '../../helpers/random';

function randomText(random: () => number, length: number, alphabet = 'abcde '): string {
	let text = '';
	for (let index = 0; index < length; index++) text += alphabet[Math.floor(random() * alphabet.length)];
	return text;
}

describe('similarity', () => {
	it('is 1 − distance / longer length on normalised text', () => {
		expect(similarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 12);
		expect(similarity('Hello   World.', 'hello world')).toBe(1);
		expect(similarity('abc', 'xyz')).toBe(0);
	});

	it('scores two empty texts 1 and an empty against a non-empty one 0', () => {
		expect(similarity('', '')).toBe(1);
		expect(similarity('  ', '...')).toBe(1);
		expect(similarity('', 'abc')).toBe(0);
	});

	it('is symmetric and stays in [0, 1]', () => {
		const random = seededRandom(7);
		for (let round = 0; round < 200; round++) {
			const a = randomText(random, Math.floor(random() * 30));
			const b = randomText(random, Math.floor(random() * 30));
			const score = normalizedSimilarity(a, b);
			expect(score).toBeGreaterThanOrEqual(0);
			expect(score).toBeLessThanOrEqual(1);
			expect(normalizedSimilarity(b, a)).toBe(score);
		}
	});
});

describe('score bounds', () => {
	it('couldReach rejects a pair only when its lengths rule the threshold out', () => {
		expect(couldReach('a'.repeat(96), 'a'.repeat(100), 0.97)).toBe(false);
		expect(couldReach('a'.repeat(97), 'a'.repeat(100), 0.97)).toBe(true);
		expect(couldReach('', '', 1)).toBe(true);
	});

	it('never rules out a pair that reaches the threshold', () => {
		const random = seededRandom(11);
		for (let round = 0; round < 2000; round++) {
			const a = randomText(random, 1 + Math.floor(random() * 40), 'ab');
			// Half the pairs are a text and a prefix of it: close pairs, where the bound is tight.
			const b =
				random() < 0.5
					? a.slice(0, Math.floor(random() * a.length))
					: randomText(random, 1 + Math.floor(random() * 40), 'ab');
			const score = normalizedSimilarity(a, b);
			for (const threshold of [0.1, 0.5, 0.8, 0.9, 0.97, 1]) {
				if (score >= threshold) expect(couldReach(a, b, threshold)).toBe(true);
			}
		}
	});

	it('bounds the edit distance from below by character counts, at least as tightly as by lengths', () => {
		const random = seededRandom(13);
		for (let round = 0; round < 2000; round++) {
			const a = randomText(random, Math.floor(random() * 40));
			const b = randomText(random, Math.floor(random() * 40));
			const bound = editDistanceLowerBound(countCharacters(a), countCharacters(b));
			expect(bound).toBeLessThanOrEqual(distance(a, b));
			expect(bound).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
		}
		expect(editDistanceLowerBound(countCharacters('listen'), countCharacters('silent'))).toBe(0);
		expect(editDistanceLowerBound(countCharacters('aaaa'), countCharacters('bbbb'))).toBe(4);
	});
});
