import MiniSearch from 'minisearch';
import type SearchableMapClass from 'minisearch/dist/es/SearchableMap';

// MiniSearch's radix tree, with its typo-tolerant lookup. Our `moduleResolution: node` ignores package exports, so
// the types come from the file and the value from the exported subpath (its CommonJS build under require).
const SearchableMap: typeof SearchableMapClass = require('minisearch/SearchableMap');

/** A field to index, how to read it from a document, and how much a match in it counts. */
export interface FullTextField<D> {
	read: (document: D) => string;
	boost: number;
}

export interface FullTextQueryOptions {
	limit: number;
	fuzzy: boolean;
}

export interface FullTextHit {
	/** Position of the document in the array the index was built from. */
	position: number;
	score: number;
}

/** The documents holding one term, ascending, each with its precomputed score (BM25 per field, boosted, summed). */
interface Posting {
	positions: Int32Array;
	scores: Float32Array;
}

/** Query terms searched at most; the rest are ignored, so one pasted paragraph cannot stall a lookup. */
export const MAX_QUERY_TERMS = 12;
/** Shorter terms are matched exactly: at 3 letters most words are one typo away from each other. */
const MIN_FUZZY_TERM_LENGTH = 4;
/** Typos tolerated per letter of a query term (0.2: one in "invoise", two in "subscriptoin"). */
const FUZZINESS = 0.2;
/** The last query term also matches as a prefix from this length (search-as-you-type). */
const MIN_PREFIX_TERM_LENGTH = 3;
/** Index terms one query term may expand to by prefix; the shortest (closest) are kept. */
const MAX_PREFIX_EXPANSIONS = 50;
/** A match by prefix or typo counts less than an exact one, the less the further it is from the query term. */
const PREFIX_WEIGHT = 0.5;
const FUZZY_WEIGHT = 0.5;
// BM25: term-frequency saturation and length normalisation, the usual values.
const K1 = 1.2;
const B = 0.75;

const tokenize: (text: string) => string[] = MiniSearch.getDefault('tokenize');

/**
 * Ranked full-text search over a fixed set of documents, built for many lookups per build. Scores of every
 * (term, document) pair are computed once at build time, so a query only adds numbers from the postings of its
 * terms (and of their prefix and typo expansions, found in MiniSearch's radix tree) and keeps the best `limit`:
 * its cost grows with the matches, at a few nanoseconds each. (MiniSearch's own search, which scores at query
 * time, builds match details and sorts every match, measured 0.5–1 µs per match: 7 ms for a word in 10,000 bodies.)
 */
export class FullTextIndex<D> {
	private readonly vocabulary = new SearchableMap<Posting>();
	/** Scratch space for one query (queries are synchronous, so one set serves every caller). */
	private readonly scores: Float64Array;
	private readonly matchedTerms: Uint8Array;
	private readonly lastTerm: Int8Array;
	private readonly touched: Int32Array;

	constructor(documents: readonly D[], fields: ReadonlyArray<FullTextField<D>>) {
		for (const { boost } of fields) {
			if (!Number.isFinite(boost) || boost <= 0) throw new TypeError(`Expected every field's \`boost\` to be a number above 0, got ${boost}`);
		}
		const count = documents.length;
		this.scores = new Float64Array(count);
		this.matchedTerms = new Uint8Array(count);
		this.lastTerm = new Int8Array(count).fill(-1);
		this.touched = new Int32Array(count);
		const postings = scorePostings(countTerms(documents, fields), fields.map((field) => field.boost));
		for (const [term, posting] of postings) this.vocabulary.set(term, posting);
	}

	/** Distinct indexed terms. */
	get termCount(): number {
		return this.vocabulary.size;
	}

	/**
	 * The best `limit` documents for the query, best first (ties: earlier documents first). Terms combine with OR;
	 * the sum of a document's term scores is multiplied by how many query terms it matched.
	 */
	search(query: string, options: FullTextQueryOptions): FullTextHit[] {
		const queryTerms = [...new Set(termsOf(query))].slice(0, MAX_QUERY_TERMS);
		const { scores, matchedTerms, lastTerm, touched } = this;
		let touchedCount = 0;
		for (const [termIndex, queryTerm] of queryTerms.entries()) {
			const isLast = termIndex === queryTerms.length - 1;
			for (const [posting, weight] of this.expand(queryTerm, isLast, options.fuzzy)) {
				const { positions } = posting;
				for (let index = 0; index < positions.length; index++) {
					const position = positions[index];
					if (lastTerm[position] !== termIndex) {
						if (lastTerm[position] === -1) touched[touchedCount++] = position;
						lastTerm[position] = termIndex;
						matchedTerms[position]++;
					}
					scores[position] += posting.scores[index] * weight;
				}
			}
		}
		const best = new TopHits(options.limit);
		for (let index = 0; index < touchedCount; index++) {
			const position = touched[index];
			best.offer(position, scores[position] * matchedTerms[position]);
			scores[position] = 0;
			matchedTerms[position] = 0;
			lastTerm[position] = -1;
		}
		return best.sorted();
	}

	/** The postings a query term reaches, each with its weight: exact 1, prefix and typo matches less. */
	private expand(queryTerm: string, isLast: boolean, fuzzy: boolean): Map<Posting, number> {
		const reached = new Map<Posting, number>();
		const reach = (posting: Posting, weight: number) => {
			if (weight > (reached.get(posting) ?? 0)) reached.set(posting, weight);
		};
		const exact = this.vocabulary.get(queryTerm);
		if (exact !== undefined) reach(exact, 1);
		if (isLast && queryTerm.length >= MIN_PREFIX_TERM_LENGTH) {
			const completions: Array<[string, Posting]> = [];
			for (const [term, posting] of this.vocabulary.atPrefix(queryTerm).entries()) {
				if (term !== queryTerm) completions.push([term, posting]);
			}
			if (completions.length > MAX_PREFIX_EXPANSIONS) completions.sort((a, b) => a[0].length - b[0].length).length = MAX_PREFIX_EXPANSIONS;
			for (const [term, posting] of completions) reach(posting, (PREFIX_WEIGHT * queryTerm.length) / term.length);
		}
		if (fuzzy && queryTerm.length >= MIN_FUZZY_TERM_LENGTH) {
			const maxDistance = Math.round(FUZZINESS * queryTerm.length);
			for (const [posting, distance] of this.vocabulary.fuzzyGet(queryTerm, maxDistance).values()) {
				if (distance > 0) reach(posting, FUZZY_WEIGHT * (1 - distance / queryTerm.length));
			}
		}
		return reached;
	}
}

/** Term frequencies of a set of documents: one row per (document, field, term), grouped by document. */
interface TermCounts {
	documentCount: number;
	/** Terms by id: ids are small integers so that counting runs on arrays, not on a Map per document and field. */
	terms: string[];
	/** Terms per document, per field. */
	fieldLengths: Uint32Array[];
	rowPositions: number[];
	rowFields: number[];
	rowTerms: number[];
	rowFrequencies: number[];
}

function countTerms<D>(documents: readonly D[], fields: ReadonlyArray<FullTextField<D>>): TermCounts {
	const counts: TermCounts = {
		documentCount: documents.length,
		terms: [],
		fieldLengths: fields.map(() => new Uint32Array(documents.length)),
		rowPositions: [],
		rowFields: [],
		rowTerms: [],
		rowFrequencies: [],
	};
	const termIds = new Map<string, number>();
	let frequencies: Uint32Array = new Uint32Array(1024);
	const seen: number[] = [];
	for (let position = 0; position < documents.length; position++) {
		for (let field = 0; field < fields.length; field++) {
			const fieldTerms = termsOf(fields[field].read(documents[position]));
			counts.fieldLengths[field][position] = fieldTerms.length;
			for (const term of fieldTerms) {
				let termId = termIds.get(term);
				if (termId === undefined) {
					termId = counts.terms.push(term) - 1;
					termIds.set(term, termId);
					if (termId === frequencies.length) frequencies = grow(frequencies);
				}
				if (frequencies[termId]++ === 0) seen.push(termId);
			}
			for (const termId of seen) {
				counts.rowPositions.push(position);
				counts.rowFields.push(field);
				counts.rowTerms.push(termId);
				counts.rowFrequencies.push(frequencies[termId]);
				frequencies[termId] = 0;
			}
			seen.length = 0;
		}
	}
	return counts;
}

/** One BM25 score per (term, document) and field, boosted and summed over the fields. */
function scorePostings(counts: TermCounts, boosts: number[]): Map<string, Posting> {
	const { documentCount, terms, fieldLengths, rowPositions, rowFields, rowTerms, rowFrequencies } = counts;
	const averageLengths = fieldLengths.map((lengths) => (documentCount === 0 ? 0 : lengths.reduce((sum, length) => sum + length, 0) / documentCount) || 1);
	const documentsWithTerm = boosts.map(() => new Uint32Array(terms.length));
	for (let row = 0; row < rowTerms.length; row++) documentsWithTerm[rowFields[row]][rowTerms[row]]++;
	const inverseFrequencies = documentsWithTerm.map((perTerm) =>
		Float64Array.from(perTerm, (withTerm) => Math.log(1 + (documentCount - withTerm + 0.5) / (withTerm + 0.5))),
	);
	const postingPositions = terms.map((): number[] => []);
	const postingScores = terms.map((): number[] => []);
	const termScores = new Float64Array(terms.length);
	const seen: number[] = [];
	for (let row = 0; row < rowPositions.length; ) {
		const position = rowPositions[row];
		for (; row < rowPositions.length && rowPositions[row] === position; row++) {
			const field = rowFields[row];
			const termId = rowTerms[row];
			const frequency = rowFrequencies[row];
			const lengthRatio = fieldLengths[field][position] / averageLengths[field];
			const saturation = (frequency * (K1 + 1)) / (frequency + K1 * (1 - B + B * lengthRatio));
			// Every score is above 0 (idf and saturation are), so 0 means "not seen in this document yet".
			if (termScores[termId] === 0) seen.push(termId);
			termScores[termId] += boosts[field] * inverseFrequencies[field][termId] * saturation;
		}
		for (const termId of seen) {
			postingPositions[termId].push(position);
			postingScores[termId].push(termScores[termId]);
			termScores[termId] = 0;
		}
		seen.length = 0;
	}
	const postings = new Map<string, Posting>();
	for (const [termId, term] of terms.entries()) {
		postings.set(term, { positions: Int32Array.from(postingPositions[termId]), scores: Float32Array.from(postingScores[termId]) });
	}
	return postings;
}

function grow(array: Uint32Array): Uint32Array {
	const larger = new Uint32Array(array.length * 2);
	larger.set(array);
	return larger;
}

/** MiniSearch's default tokenizer and term processing (lower case), the latter applied once to the whole text. */
function termsOf(text: string): string[] {
	return tokenize(text.toLowerCase()).filter((term) => term.length > 0);
}

/** The `limit` highest scores seen, kept sorted; most offers lose to the current last place and cost one comparison. */
class TopHits {
	private readonly hits: FullTextHit[] = [];

	constructor(private readonly limit: number) {}

	offer(position: number, score: number): void {
		const { hits, limit } = this;
		if (hits.length === limit && !ranksAbove(score, position, hits[limit - 1])) return;
		let index = hits.length === limit ? limit - 1 : hits.length;
		while (index > 0 && ranksAbove(score, position, hits[index - 1])) {
			hits[index] = hits[index - 1];
			index--;
		}
		hits[index] = { position, score };
	}

	sorted(): FullTextHit[] {
		return this.hits;
	}
}

function ranksAbove(score: number, position: number, other: FullTextHit): boolean {
	return score > other.score || (score === other.score && position < other.position);
}
