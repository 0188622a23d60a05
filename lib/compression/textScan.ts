import { characterFlags, DIGIT, ESTIMATE_CLASS_COUNT, estimateClasses, LETTER, MARK, PUNCTUATION, SPACE } from './characterTable';

/**
 * The o200k tokenizer's byte-pair merge takes time quadratic in the length of one pre-token piece, and a piece is
 * a run of letters, of punctuation or of whitespace: `A` x 40,000 took 0.85 s, 100,000 spaces 12.6 s. Runs up to
 * this length cost at most a few milliseconds each; a longer run makes the count an estimate.
 */
export const MAX_EXACT_RUN = 1024;
/** Exact counting goes chunk by chunk (so it can yield between chunks); a chunk ends near this length. */
export const CHUNK_CHARS = 4096;
/** A stretch this long with no place where the tokenizer surely splits is estimated rather than counted. */
const MAX_CHUNK_CHARS = 8 * CHUNK_CHARS;
const APOSTROPHE = 0x27;

export interface TextScanResult {
	/** Whether the exact tokenizer can count this text in time linear in its length. */
	exactCountable: boolean;
	/** Chunk ends, each where the o200k pre-tokenizer starts a new piece, so chunk counts add up to the exact count. */
	cuts: number[];
	/** UTF-16 code units per {@link EstimateClass}. */
	classCounts: Float64Array;
}

/**
 * One linear pass over a text: finds runs the exact tokenizer would take quadratic time over, counts characters
 * per estimate class, and picks chunk ends. `advance` can be called in slices, so a caller can yield between them.
 */
export class TextScan {
	private readonly flags = characterFlags();
	private readonly classes = estimateClasses();
	private readonly classCounts = new Float64Array(ESTIMATE_CLASS_COUNT);
	private readonly cuts: number[] = [];
	private position = 0;
	private previousFlags = 0;
	private spaceRun = 0;
	private letterRun = 0;
	private punctuationRun = 0;
	private chunkStart = 0;
	private exactCountable: boolean;

	constructor(private readonly text: string, exactLimit: number) {
		this.exactCountable = text.length <= exactLimit;
	}

	get done(): boolean {
		return this.position >= this.text.length;
	}

	advance(maxChars: number): void {
		const { text, flags, classes, classCounts } = this;
		const end = Math.min(text.length, this.position + maxChars);
		for (let index = this.position; index < end; index++) {
			const code = text.charCodeAt(index);
			const current = flags[code];
			classCounts[classes[code]]++;
			if (!this.exactCountable) continue;
			this.spaceRun = current & SPACE ? this.spaceRun + 1 : 0;
			this.letterRun = current & (LETTER | MARK) ? this.letterRun + 1 : 0;
			this.punctuationRun = current & PUNCTUATION ? this.punctuationRun + 1 : 0;
			if (this.spaceRun > MAX_EXACT_RUN || this.letterRun > MAX_EXACT_RUN || this.punctuationRun > MAX_EXACT_RUN) {
				this.exactCountable = false;
				continue;
			}
			if (index - this.chunkStart >= CHUNK_CHARS && isPieceStart(this.previousFlags, current, code)) {
				this.cuts.push(index);
				this.chunkStart = index;
			} else if (index - this.chunkStart >= MAX_CHUNK_CHARS) {
				this.exactCountable = false;
			}
			this.previousFlags = current;
		}
		this.position = end;
	}

	result(): TextScanResult {
		return { exactCountable: this.exactCountable, cuts: this.cuts, classCounts: this.classCounts };
	}
}

/**
 * After a letter or a digit, a character that is not a letter, digit, mark or apostrophe always starts a new
 * piece: letter pieces end before it (only a contraction such as `'s` extends them), digit pieces too, and no
 * piece pattern looks behind. Cutting there leaves every piece, and so the count, unchanged.
 */
function isPieceStart(previousFlags: number, current: number, code: number): boolean {
	return (previousFlags & (LETTER | DIGIT)) !== 0 && (previousFlags & MARK) === 0 && (current & (LETTER | DIGIT | MARK)) === 0 && code !== APOSTROPHE;
}
