export { compressText } from './compressText';
export { measureCompression, type CompressionMeasure } from './measureCompression';
export { countTokens, measureTokens, measureTokensYielding, MAX_EXACT_CHARS, MAX_EXACT_RUN, type TokenCount } from './tokenizer';
export {
	COMPRESSION_MODES,
	type CompressionMode,
	type CompressionResult,
	type CompressionRule,
} from './types';
