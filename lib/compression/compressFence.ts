import { isJsonFence, type TextBlock } from './fences';
import { minifyJson } from './json/minifyJson';
import { joinOriginal, type SplitLines } from './lines';
import type { CompressionRule } from './types';

/**
 * A fenced block exactly as it was, except that a closed ```json block whose content is a JSON object or array
 * gets that content minified.
 */
export function compressFence(
	split: SplitLines,
	block: Extract<TextBlock, { kind: 'fence' }>,
	applied: Set<CompressionRule>,
): string {
	const original = joinOriginal(split, block.first, block.last);
	if (!block.closed || !isJsonFence(block.opening) || block.last - block.first < 2) return original;
	const content = joinOriginal(split, block.first + 1, block.last - 1);
	const json = minifyJson(content);
	if (json === undefined || json === content) return original;
	applied.add('minifyJson');
	const { lines, breaks } = split;
	return lines[block.first] + breaks[block.first] + json + breaks[block.last - 1] + lines[block.last];
}
