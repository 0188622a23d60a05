import { renderTrendSvg, type TrendChartOptions } from './renderTrendSvg';
import { svgToPng } from './svgToPng';
import type { TrendPoint } from './trendPoint';

export interface TrendPng {
	png: Buffer;
	width: number;
	height: number;
}

/** The trend chart of {@link renderTrendSvg} as a PNG. */
export async function renderTrendPng(points: readonly TrendPoint[], options: TrendChartOptions): Promise<TrendPng> {
	const png = await svgToPng(renderTrendSvg(points, options));
	// The size is the SVG's own (fitTo: original): the requested one, or the defaults.
	return { png, width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
