/**
 * Token counts in OpenAI's o200k_base encoding (GPT-4o, GPT-4.1, GPT-5, o-series). Other models have their own
 * tokenizers, so for them (Claude, Gemini, Llama, ...) these counts are estimates: good for comparing a text
 * before and after compression, not for billing.
 *
 * The exact tokenizer takes time quadratic in the length of a run without spaces (a 1 MB run took 392 s), so a
 * text is counted exactly only when it is at most {@link MAX_EXACT_CHARS} long and has no run longer than
 * {@link MAX_EXACT_RUN}; any other text is estimated from its character classes in linear time, and the result
 * says so (`estimated: true`).
 */
import { WorkSlicer } from '../shared/yieldToEventLoop';
import { TextScan, type TextScanResult } from './textScan';
import { estimateTokens } from './tokenEstimate';

export { MAX_EXACT_RUN } from './textScan';

/** Longest text counted exactly: about 64,000 tokens of English, at most about a second of work spread over chunks. */
export const MAX_EXACT_CHARS = 256 * 1024;

export interface TokenCount {
	tokens: number;
	/** Whether `tokens` is an estimate from character classes rather than the tokenizer's exact count. */
	estimated: boolean;
}

// The `cjs/` path because our `moduleResolution: node` ignores the package's `exports` map; Node resolves it too.
type O200kBase = typeof import('gpt-tokenizer/cjs/encoding/o200k_base');

// Prompts may quote special-token text such as "<|endoftext|>"; count it as the plain text it is instead of throwing.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
/** Characters scanned between two checks of the time slice. */
const SCAN_SLICE = 64 * 1024;

let encoding: O200kBase | undefined;

function loadEncoding(): O200kBase {
	// Loaded on first use, not at import: building the ranks takes ~250 ms that callers who never count should not pay.
	encoding ??= require('gpt-tokenizer/cjs/encoding/o200k_base') as O200kBase;
	return encoding;
}

function checkText(text: unknown): asserts text is string {
	if (typeof text !== 'string') throw new TypeError(`Expected \`text\` to be a string, got ${typeof text}`);
}

function exactChunk(text: string, start: number, end: number): number {
	return loadEncoding().countTokens(start === 0 && end === text.length ? text : text.slice(start, end), PLAIN_TEXT);
}

/** Counts in one go: linear in the text, but holds the thread for its whole length; prefer {@link measureTokensYielding}. */
export function measureTokens(text: string): TokenCount {
	checkText(text);
	if (text === '') return { tokens: 0, estimated: false };
	const scan = new TextScan(text, MAX_EXACT_CHARS);
	scan.advance(text.length);
	const shape = scan.result();
	if (!shape.exactCountable) return { tokens: estimateTokens(shape.classCounts), estimated: true };
	let tokens = 0;
	forEachChunk(text, shape, (start, end) => {
		tokens += exactChunk(text, start, end);
	});
	return { tokens, estimated: false };
}

/** The same count as {@link measureTokens}, giving the event loop a turn every ~15 ms of work. */
export async function measureTokensYielding(text: string, slicer = new WorkSlicer()): Promise<TokenCount> {
	checkText(text);
	if (text === '') return { tokens: 0, estimated: false };
	const scan = new TextScan(text, MAX_EXACT_CHARS);
	while (!scan.done) {
		scan.advance(SCAN_SLICE);
		await slicer.maybeYield();
	}
	const shape = scan.result();
	if (!shape.exactCountable) return { tokens: estimateTokens(shape.classCounts), estimated: true };
	let tokens = 0;
	const chunks: Array<[number, number]> = [];
	forEachChunk(text, shape, (start, end) => chunks.push([start, end]));
	for (const [start, end] of chunks) {
		tokens += exactChunk(text, start, end);
		await slicer.maybeYield();
	}
	return { tokens, estimated: false };
}

/** The token count alone, exact or estimated as {@link measureTokens} decides. */
export function countTokens(text: string): number {
	return measureTokens(text).tokens;
}

function forEachChunk(text: string, shape: TextScanResult, visit: (start: number, end: number) => void): void {
	let start = 0;
	for (const cut of shape.cuts) {
		visit(start, cut);
		start = cut;
	}
	if (start < text.length) visit(start, text.length);
}

