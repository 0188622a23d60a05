import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

type ResvgModule = typeof import('@resvg/resvg-js');

let resvg: ResvgModule | undefined;
let fontFile: string | undefined;

function loadResvg(): ResvgModule {
	// Loaded on first use, not at import: it is a native addon, and nodes that never draw a chart (or a platform
	// without a prebuilt binary) should not pay for it or fail because of it.
	if (resvg === undefined) {
		try {
			resvg = require('@resvg/resvg-js') as ResvgModule;
		} catch (error) {
			throw new Error(`PNG charts need @resvg/resvg-js's prebuilt binary for ${process.platform}-${process.arch}, which could not be loaded: ${(error as Error).message}`);
		}
	}
	return resvg;
}

/** The bundled DejaVu Sans, so text looks the same on every host, fonts installed or not. */
function dejaVuSansFile(): string {
	if (fontFile === undefined) {
		const file = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf');
		// resvg would silently draw no text at all without it.
		if (!existsSync(file)) throw new Error(`PNG charts need the DejaVu Sans font, which is missing at ${file}`);
		fontFile = file;
	}
	return fontFile;
}

/**
 * Renders SVG markup to PNG bytes at its own size, with the bundled font only (no system fonts). Rendering runs
 * on libuv's thread pool: a full-size chart takes 50-150 ms of rasterising, which n8n's event loop must not wait on.
 */
export async function svgToPng(svg: string): Promise<Buffer> {
	if (typeof svg !== 'string' || svg === '') throw new TypeError('Expected `svg` to be non-empty SVG markup');
	const { renderAsync } = loadResvg();
	const image = await renderAsync(svg, {
		font: { loadSystemFonts: false, fontFiles: [dejaVuSansFile()], defaultFontFamily: 'DejaVu Sans' },
		fitTo: { mode: 'original' },
		logLevel: 'off',
	});
	return image.asPng();
}
