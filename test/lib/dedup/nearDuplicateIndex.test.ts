import { NearDuplicateIndex } from '../../../lib/dedup/nearDuplicateIndex';
import { similarity } from '../../../lib/dedup/similarity';

const SCOPE = 'scope-a';

// Long, otherwise identical context around a short pair: raw similarity above 0.99.
const PREFIX =
	'You are a careful assistant for a smart home and payments platform. Read the request below, check it against ' +
	'the account settings the platform gives you, and reply with a short confirmation the user can read on a watch. ' +
	'Keep the reply friendly and plain, use British spelling, avoid jargon, do not add greetings or sign-offs, and ' +
	'never reveal internal identifiers. If the request is ambiguous, ask one short clarifying question instead. ' +
	'Request: ';
const SUFFIX =
	'. Reply in the language of the request. The user has been a customer for years and prefers brief replies ' +
	'that get straight to the point, so keep everything under twenty words and skip any explanation of how the ' +
	'platform works internally.';

const MUST_NOT_MERGE: Array<[string, string]> = [
	['turn on dark mode', 'turn off dark mode'],
	['refund 15 USD', 'refund 150 USD'],
	['is it safe', 'is it not safe'],
	["Don't delete the file", 'Delete the file'],
	['enable notifications', 'disable notifications'],
	['price 3.5', 'price 3.6'],
];

const THRESHOLDS = [Number.MIN_VALUE, 0.01, 0.5, 0.8, 0.9, 0.97, 0.99, 1];

function indexWith(prompt: string, scopeKey = SCOPE, cacheKey = 'earlier'): NearDuplicateIndex {
	const index = new NearDuplicateIndex({ maxEntries: 100 });
	index.add(scopeKey, prompt, cacheKey);
	return index;
}

describe('NearDuplicateIndex guards', () => {
	it.each(MUST_NOT_MERGE)('never merges "%s" with "%s", at any threshold, either way', (a, b) => {
		for (const [earlier, later] of [
			[a, b],
			[b, a],
		]) {
			const index = indexWith(earlier);
			for (const threshold of THRESHOLDS) expect(index.findSimilar(SCOPE, later, threshold)).toBeUndefined();
		}
	});

	it.each(MUST_NOT_MERGE)('never merges "%s" with "%s" inside a long identical prompt', (a, b) => {
		const earlier = `${PREFIX}${a}${SUFFIX}`;
		const later = `${PREFIX}${b}${SUFFIX}`;
		expect(similarity(earlier, later)).toBeGreaterThan(0.99);
		const index = indexWith(earlier);
		for (const threshold of THRESHOLDS) expect(index.findSimilar(SCOPE, later, threshold)).toBeUndefined();
	});

	it('never merges prompts whose polarity words are the same but swapped', () => {
		const index = indexWith(`${PREFIX}enable alerts for the hall and disable them for the garage${SUFFIX}`);
		const swapped = `${PREFIX}disable alerts for the hall and enable them for the garage${SUFFIX}`;
		expect(index.findSimilar(SCOPE, swapped, 0.9)).toBeUndefined();
	});

	it('never merges across scope keys, even for the same prompt', () => {
		const index = indexWith('Summarise this review', 'model-a');
		expect(index.findSimilar('model-b', 'Summarise this review', 0.5)).toBeUndefined();
		expect(index.findSimilar('model-a', 'Summarise this review', 0.5)).toEqual({ cacheKey: 'earlier', score: 1 });
	});
});

describe('NearDuplicateIndex matches', () => {
	const review =
		'Summarise the following customer review in one sentence: The delivery was quick and the product works great';

	it('merges case, whitespace and trailing punctuation differences with score 1', () => {
		const index = indexWith(review);
		const variant = `  ${review.toUpperCase().replace(/ /g, '   ')} !!`;
		expect(index.findSimilar(SCOPE, variant, 1)).toEqual({ cacheKey: 'earlier', score: 1 });
		expect(index.findSimilar(SCOPE, `${review}.`, 0.97)).toEqual({ cacheKey: 'earlier', score: 1 });
	});

	it('merges a typo in a long prompt at 0.97', () => {
		const index = indexWith(review);
		for (const typo of [review.replace('delivery', 'delivrey'), review.replace('product', 'prodct')]) {
			const match = index.findSimilar(SCOPE, typo, 0.97);
			expect(match?.cacheKey).toBe('earlier');
			expect(match?.score).toBeGreaterThanOrEqual(0.97);
			expect(match?.score).toBeLessThan(1);
		}
	});

	it('does not merge a prompt below the threshold', () => {
		const index = indexWith(review);
		const otherReview = review.replace('the product works great', 'the colour is lovely');
		expect(index.findSimilar(SCOPE, otherReview, 0.97)).toBeUndefined();
	});

	it('returns the best candidate, the more recent one on a tie, and counts a match as a use', () => {
		const index = new NearDuplicateIndex({ maxEntries: 10 });
		index.add(SCOPE, review.replace('quick', 'quik'), 'one-typo');
		index.add(SCOPE, review.replace('quick', 'qk'), 'three-typos');
		expect(index.findSimilar(SCOPE, review, 0.9)?.cacheKey).toBe('one-typo');

		const tie = new NearDuplicateIndex({ maxEntries: 2 });
		tie.add(SCOPE, review.replace('quick', 'quik'), 'older');
		tie.add(SCOPE, review.replace('product', 'prodct'), 'newer');
		expect(tie.findSimilar(SCOPE, review, 0.9)?.cacheKey).toBe('newer');
		expect(tie.findSimilar(SCOPE, review.replace('quick', 'quik'), 0.9)).toEqual({ cacheKey: 'older', score: 1 });
		// That match made "older" the most recent entry, so "newer" leaves first.
		tie.add(SCOPE, 'something else', 'third');
		expect(tie.delete('newer')).toBe(false);
		expect(tie.delete('older')).toBe(true);
	});

	it('drops candidates whose answers are gone, as told by isLive', () => {
		const index = new NearDuplicateIndex({ maxEntries: 10 });
		index.add(SCOPE, review, 'expired');
		index.add(SCOPE, review.replace('quick', 'quik'), 'live');
		const isLive = (cacheKey: string) => cacheKey !== 'expired';
		expect(index.findSimilar(SCOPE, review, 0.97, isLive)?.cacheKey).toBe('live');
		expect(index.size).toBe(1);
		expect(index.delete('live')).toBe(true);
		expect(index.findSimilar(SCOPE, review, 0.5)).toBeUndefined();
	});

	it('replaces the entry of a cache key added again', () => {
		const index = new NearDuplicateIndex({ maxEntries: 10 });
		index.add(SCOPE, 'turn on dark mode', 'key');
		index.add(SCOPE, 'turn off dark mode', 'key');
		expect(index.size).toBe(1);
		expect(index.findSimilar(SCOPE, 'turn on dark mode', 0.5)).toBeUndefined();
		expect(index.findSimilar(SCOPE, 'Turn off dark mode.', 0.5)).toEqual({ cacheKey: 'key', score: 1 });
	});
});

describe('NearDuplicateIndex bounds', () => {
	it('keeps at most maxEntries prompts, the oldest leaving first', () => {
		const index = new NearDuplicateIndex({ maxEntries: 50 });
		for (let n = 0; n < 120; n++) index.add(n % 2 === 0 ? SCOPE : 'scope-b', `prompt number ${n}`, `key-${n}`);
		expect(index.size).toBe(50);
		expect(index.findSimilar(SCOPE, 'prompt number 0', 1)).toBeUndefined();
		expect(index.findSimilar(SCOPE, 'prompt number 118', 1)).toEqual({ cacheKey: 'key-118', score: 1 });
		expect(index.findSimilar('scope-b', 'prompt number 119', 1)).toEqual({ cacheKey: 'key-119', score: 1 });
		index.clear();
		expect(index.size).toBe(0);
		expect(index.findSimilar('scope-b', 'prompt number 119', 1)).toBeUndefined();
	});

	it('keeps at most maxPerBucket prompts per scope and signature', () => {
		const index = new NearDuplicateIndex({ maxEntries: 100, maxPerBucket: 3 });
		for (let n = 0; n < 5; n++) index.add(SCOPE, `review ${'x'.repeat(n + 1)}`, `key-${n}`);
		index.add('scope-b', 'review x', 'other-scope');
		expect(index.size).toBe(4);
		expect(index.findSimilar(SCOPE, 'review x', 1)).toBeUndefined();
		expect(index.findSimilar(SCOPE, 'review xxxxx', 1)?.cacheKey).toBe('key-4');
	});

	it('keeps at most maxChars of prompt text', () => {
		const index = new NearDuplicateIndex({ maxEntries: 100, maxChars: 1000 });
		for (let n = 0; n < 20; n++) index.add(SCOPE, `${n} ${'y'.repeat(200)}`, `key-${n}`);
		expect(index.size).toBeLessThanOrEqual(1000 / 200);
		expect(index.findSimilar(SCOPE, `19 ${'y'.repeat(200)}`, 1)?.cacheKey).toBe('key-19');
	});

	it('neither indexes nor looks up prompts longer than the lookup budget allows', () => {
		const index = new NearDuplicateIndex({ maxEntries: 10, maxWorkPerLookup: 10_000 });
		index.add(SCOPE, 'z'.repeat(101), 'long');
		expect(index.size).toBe(0);
		index.add(SCOPE, 'z'.repeat(100), 'fits');
		expect(index.findSimilar(SCOPE, 'z'.repeat(100), 1)?.cacheKey).toBe('fits');
		expect(index.findSimilar(SCOPE, 'z'.repeat(101), 0.5)).toBeUndefined();
	});

	it('stops comparing once the lookup budget is spent', () => {
		// Budget for exactly one 100 × 100 comparison: only the most recent candidate is compared.
		const index = new NearDuplicateIndex({ maxEntries: 10, maxWorkPerLookup: 10_000 });
		const base = 'ab'.repeat(50);
		index.add(SCOPE, `${base.slice(0, 98)}bb`, 'older-closer');
		index.add(SCOPE, `${base.slice(0, 96)}bbbb`, 'newer-further');
		expect(index.findSimilar(SCOPE, base, 0.9)?.cacheKey).toBe('newer-further');
	});

	it('refuses invalid options and arguments with the name of what is wrong', () => {
		expect(() => new NearDuplicateIndex({ maxEntries: 0 })).toThrow(
			'Expected `maxEntries` to be an integer from 1 and up, got 0',
		);
		expect(() => new NearDuplicateIndex({ maxEntries: 1.5 })).toThrow('maxEntries');
		expect(() => new NearDuplicateIndex({ maxEntries: 10, maxPerBucket: 0 })).toThrow('maxPerBucket');
		expect(() => new NearDuplicateIndex({ maxEntries: 10, maxChars: -1 })).toThrow('maxChars');
		expect(() => new NearDuplicateIndex({ maxEntries: 10, maxWorkPerLookup: Infinity })).toThrow(
			'maxWorkPerLookup',
		);
		const index = new NearDuplicateIndex({ maxEntries: 10 });
		for (const threshold of [0, -0.1, 1.01, Number.NaN]) {
			expect(() => index.findSimilar(SCOPE, 'x', threshold)).toThrow(
				'Expected `threshold` to be a number above 0 and at most 1',
			);
		}
		expect(() => index.add('a\u0000b', 'x', 'k')).toThrow('scopeKey');
		expect(() => index.add(SCOPE, undefined as unknown as string, 'k')).toThrow(
			'Expected `prompt` to be a string, got undefined',
		);
	});
});
