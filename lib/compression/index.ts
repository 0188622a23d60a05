export { compressText } from './compressText';
export { measureCompression, type CompressionMeasure } from './measureCompression';
export { countTokens } from './tokenizer';
export {
	COMPRESSION_MODES,
	type CompressionMode,
	type CompressionResult,
	type CompressionRule,
} from './types';
