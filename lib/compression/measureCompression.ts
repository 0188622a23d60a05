import { countTokens } from './tokenizer';

export interface CompressionMeasure {
	tokensBefore: number;
	tokensAfter: number;
}

export function measureCompression(before: string, after: string): CompressionMeasure {
	const tokensBefore = countTokens(before);
	return { tokensBefore, tokensAfter: after === before ? tokensBefore : countTokens(after) };
}
