export type CompressionMode = 'off' | 'safe' | 'aggressive';

export const COMPRESSION_MODES: readonly CompressionMode[] = ['off', 'safe', 'aggressive'];

/** Names reported in `rulesApplied`, in the order the rules run. */
export type CompressionRule = 'normalizeWhitespace' | 'minifyJson' | 'tabulateJsonArrays' | 'collapseRepeatedLines';

export interface CompressionResult {
	text: string;
	/** Whether `text` differs from the input. */
	changed: boolean;
	/** The rules that changed something, in the order they ran. */
	rulesApplied: CompressionRule[];
}
