/**
 * Token counts in OpenAI's o200k_base encoding (GPT-4o, GPT-4.1, GPT-5, o-series). Other models have their own
 * tokenizers, so for them (Claude, Gemini, Llama, ...) these counts are estimates: good for comparing a text
 * before and after compression, not for billing.
 */

// The `cjs/` path because our `moduleResolution: node` ignores the package's `exports` map; Node resolves it too.
type O200kBase = typeof import('gpt-tokenizer/cjs/encoding/o200k_base');

// Prompts may quote special-token text such as "<|endoftext|>"; count it as the plain text it is instead of throwing.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

let encoding: O200kBase | undefined;

function loadEncoding(): O200kBase {
	// Loaded on first use, not at import: building the ranks takes ~250 ms that callers who never count should not pay.
	encoding ??= require('gpt-tokenizer/cjs/encoding/o200k_base') as O200kBase;
	return encoding;
}

export function countTokens(text: string): number {
	if (typeof text !== 'string') throw new TypeError(`Expected \`text\` to be a string, got ${typeof text}`);
	if (text === '') return 0;
	return loadEncoding().countTokens(text, PLAIN_TEXT);
}
