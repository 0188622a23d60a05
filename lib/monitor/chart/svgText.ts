/** Escapes text for SVG element content and attribute values. */
export function escapeXml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

/** A coordinate with at most two decimals: short markup, and the same text for the same input on every run. */
export function coordinate(value: number): string {
	return String(Math.round(value * 100) / 100);
}

/**
 * Average advance of a DejaVu Sans character in em, on the generous side (capitals are wider than lower case);
 * good enough to keep a title inside its box without measuring glyphs.
 */
const AVERAGE_CHAR_EM = 0.62;

/** About how wide `text` is at `fontSize`, in pixels. */
export function textWidth(text: string, fontSize: number): number {
	return [...text].length * fontSize * AVERAGE_CHAR_EM;
}

/** Shortens text with an ellipsis so that it fits about `maxWidth` pixels at `fontSize`. */
export function fitText(text: string, fontSize: number, maxWidth: number): string {
	const maxChars = Math.max(1, Math.floor(maxWidth / (fontSize * AVERAGE_CHAR_EM)));
	const characters = [...text];
	return characters.length <= maxChars ? text : `${characters.slice(0, maxChars - 1).join('')}…`;
}

export interface TextOptions {
	size: number;
	fill: string;
	anchor?: 'start' | 'middle' | 'end';
}

/** A `<text>` element; the content is escaped here, so callers pass plain text. */
export function svgText(x: number, y: number, content: string, options: TextOptions): string {
	const anchor = options.anchor && options.anchor !== 'start' ? ` text-anchor="${options.anchor}"` : '';
	return `<text x="${coordinate(x)}" y="${coordinate(y)}" font-size="${options.size}" fill="${options.fill}"${anchor}>${escapeXml(content)}</text>`;
}
