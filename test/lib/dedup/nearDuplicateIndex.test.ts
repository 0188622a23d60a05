import { NearDuplicateIndex } from '../../../lib/dedup/nearDuplicateIndex';

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
	['where status != "shipped"', 'where status = "shipped"'],
	['rewrite it in a formal tone', 'rewrite it in an informal tone'],
	['the capital of Austria', 'the capital of Australia'],
	['send it to john.smith@acme.com', 'send it to joan.smith@acme.com'],
	['translate from English to German', 'translate from German to English'],
	['approve the expense report', 'reject the expense report'],
];
const TYPOS = { allowTypos: true };

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
		const index = indexWith(earlier);
		for (const threshold of THRESHOLDS) {
			expect(index.findSimilar(SCOPE, later, threshold)).toBeUndefined();
			expect(index.findSimilar(SCOPE, later, threshold, undefined, TYPOS)).toBeUndefined();
		}
	});

	it('never merges prompts whose polarity words are the same but swapped', () => {
		const index = indexWith(`${PREFIX}enable alerts for the hall and disable them for the garage${SUFFIX}`);
		const swapped = `${PREFIX}disable alerts for the hall and enable them for the garage${SUFFIX}`;
		expect(index.findSimilar(SCOPE, swapped, 0.5, undefined, TYPOS)).toBeUndefined();
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
		const variant = `  ${review.toUpperCase().replace(/ /g, ' \r\n\t ')}.`;
		expect(index.findSimilar(SCOPE, variant, 1)).toEqual({ cacheKey: 'earlier', score: 1 });
		expect(index.findSimilar(SCOPE, `${review}.`, 0.97)).toEqual({ cacheKey: 'earlier', score: 1 });
	});

	it('merges a typo inside a long word only when typos are allowed', () => {
		const index = indexWith(review);
		for (const typo of [review.replace('delivery', 'delivrey'), review.replace('sentence', 'sentance')]) {
			expect(index.findSimilar(SCOPE, typo, 0.5)).toBeUndefined();
			const match = index.findSimilar(SCOPE, typo, 0.97, undefined, TYPOS);
			expect(match?.cacheKey).toBe('earlier');
			expect(match?.score).toBeGreaterThanOrEqual(0.97);
			expect(match?.score).toBeLessThan(1);
		}
	});

	it('does not merge typos below the threshold, in short words, at word edges or more than one per ten words', () => {
		const index = indexWith(review);
		expect(index.findSimilar(SCOPE, review.replace('delivery', 'delivrey'), 0.995, undefined, TYPOS)).toBeUndefined();
		expect(index.findSimilar(SCOPE, review.replace('quick', 'quikc'), 0.5, undefined, TYPOS)).toBeUndefined();
		expect(index.findSimilar(SCOPE, review.replace('customer', 'customers'), 0.5, undefined, TYPOS)).toBeUndefined();
		const twoTypos = review.replace('delivery', 'delivrey').replace('sentence', 'sentance');
		expect(index.findSimilar(SCOPE, twoTypos, 0.5, undefined, TYPOS)).toBeUndefined();
		const otherReview = review.replace('the product works great', 'the colour is lovely');
		expect(index.findSimilar(SCOPE, otherReview, 0.5, undefined, TYPOS)).toBeUndefined();
	});

	it('returns the best candidate, the more recent one on a tie, and counts a match as a use', () => {
		const index = new NearDuplicateIndex({ maxEntries: 10 });
		index.add(SCOPE, review, 'exact');
		index.add(SCOPE, review.replace('delivery', 'delivrey'), 'one-typo');
		expect(index.findSimilar(SCOPE, review.toUpperCase(), 0.9, undefined, TYPOS)).toEqual({ cacheKey: 'exact', score: 1 });

		const tie = new NearDuplicateIndex({ maxEntries: 2 });
		tie.add(SCOPE, review.replace('delivery', 'delivrey'), 'older');
		tie.add(SCOPE, review.replace('sentence', 'sentance'), 'newer');
		expect(tie.findSimilar(SCOPE, review, 0.9, undefined, TYPOS)?.cacheKey).toBe('newer');
		expect(tie.findSimilar(SCOPE, review.replace('delivery', 'delivrey'), 0.9)).toEqual({ cacheKey: 'older', score: 1 });
		// That match made "older" the most recent entry, so "newer" leaves first.
		tie.add(SCOPE, 'something else', 'third');
		expect(tie.delete('newer')).toBe(false);
		expect(tie.delete('older')).toBe(true);
	});

	it('drops candidates whose answers are gone, as told by isLive', () => {
		const index = new NearDuplicateIndex({ maxEntries: 10 });
		index.add(SCOPE, `${review}.`, 'live');
		index.add(SCOPE, review, 'expired');
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

	it('keeps at most maxPerBucket prompts per scope and words (typo-prone words aside)', () => {
		const index = new NearDuplicateIndex({ maxEntries: 100, maxPerBucket: 3 });
		const spellings = ['necessary', 'neccessary', 'necesary', 'necessarry', 'nesessary'];
		spellings.forEach((spelling, n) => index.add(SCOPE, `review the ${spelling} steps`, `key-${n}`));
		index.add('scope-b', 'review the necessary steps', 'other-scope');
		expect(index.size).toBe(4);
		expect(index.findSimilar(SCOPE, 'review the necessary steps', 1)).toBeUndefined();
		expect(index.findSimilar(SCOPE, 'review the nesessary steps', 1)?.cacheKey).toBe('key-4');
	});

	it('keeps at most maxChars of prompt text', () => {
		const index = new NearDuplicateIndex({ maxEntries: 100, maxChars: 1000 });
		for (let n = 0; n < 20; n++) index.add(SCOPE, `${n} ${'y'.repeat(200)}`, `key-${n}`);
		expect(index.size).toBeLessThanOrEqual(1000 / 200);
		expect(index.findSimilar(SCOPE, `19 ${'y'.repeat(200)}`, 1)?.cacheKey).toBe('key-19');
	});

	it('neither indexes nor looks up prompts above maxPromptChars, without even normalising them', () => {
		const index = new NearDuplicateIndex({ maxEntries: 10, maxPromptChars: 100 });
		const normalize = jest.spyOn(String.prototype, 'normalize');
		try {
			index.add(SCOPE, 'z'.repeat(101), 'long');
			expect(index.findSimilar(SCOPE, 'z'.repeat(101), 0.5, undefined, TYPOS)).toBeUndefined();
			expect(normalize).not.toHaveBeenCalled();
		} finally {
			normalize.mockRestore();
		}
		expect(index.size).toBe(0);
		index.add(SCOPE, 'z'.repeat(100), 'fits');
		expect(index.findSimilar(SCOPE, 'Z'.repeat(100), 1)?.cacheKey).toBe('fits');
	});

	it('skips huge adversarial prompts at the default size cap: a megabyte of one letter, CJK or base64', () => {
		const index = new NearDuplicateIndex({ maxEntries: 10 });
		const megabyte = 1 << 20;
		for (const prompt of ['A'.repeat(megabyte), '漢'.repeat(megabyte), Buffer.alloc(megabyte, 7).toString('base64')]) {
			index.add(SCOPE, prompt, 'huge');
			expect(index.size).toBe(0);
			expect(index.findSimilar(SCOPE, prompt, 0.5, undefined, TYPOS)).toBeUndefined();
		}
		// Just under the cap, the same shapes are indexed and found.
		for (const prompt of ['A'.repeat(10_000), '漢'.repeat(10_000), 'QUJD'.repeat(2_500)]) {
			index.add(SCOPE, prompt, prompt.slice(0, 4));
			expect(index.findSimilar(SCOPE, prompt, 0.5, undefined, TYPOS)?.cacheKey).toBe(prompt.slice(0, 4));
		}
	});

	it('compares a full bucket of long prompts with typos allowed, and stops once the lookup budget is spent', () => {
		// 200 prompts that share every word but one long word, so they all land in one bucket: the worst case.
		const words = Array.from({ length: 1_000 }, (_, n) => `word${n}`).join(' ');
		const prompt = (variant: string) => `${words} ${variant}`;
		const index = new NearDuplicateIndex({ maxEntries: 1_000 });
		for (let n = 0; n < 200; n++) index.add(SCOPE, prompt(`particul${String.fromCharCode(97 + (n % 26))}${n % 7}r`), `key-${n}`);
		expect(index.findSimilar(SCOPE, prompt('particularly'), 0.5, undefined, TYPOS)).toBeUndefined();

		const budget = new NearDuplicateIndex({ maxEntries: 10, maxWorkPerLookup: 2 * 'abcdefgh xxxxxxxx'.length });
		budget.add(SCOPE, 'abcdefgh necessary', 'oldest');
		budget.add(SCOPE, 'abcdefgh nexessary', 'older');
		budget.add(SCOPE, 'abcdefgh neceszary', 'newest');
		// Two candidates fit the budget, newest first: the oldest is never compared.
		expect(budget.findSimilar(SCOPE, 'abcdefgh neccessary', 0.5, undefined, TYPOS)).toBeUndefined();
		expect(budget.findSimilar(SCOPE, 'abcdefgh nexessary', 0.5, undefined, TYPOS)?.cacheKey).toBe('older');
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
		expect(() => new NearDuplicateIndex({ maxEntries: 10, maxPromptChars: 0 })).toThrow('maxPromptChars');
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
