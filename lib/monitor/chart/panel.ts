import { linePath } from './linePath';
import { niceTicks } from './niceTicks';
import { coordinate, escapeXml, fitText, svgText, textWidth } from './svgText';
import { THEME } from './theme';

export interface PanelSeries {
	name: string;
	colour: string;
	values: ReadonlyArray<number | null>;
}

export interface PanelSpec {
	title: string;
	series: readonly PanelSeries[];
	/** A fixed top of the value axis (100 for percentages); otherwise it follows the data. */
	fixedMax?: number;
	/** Shows the series names with their colours at the right of the title row. */
	legend?: boolean;
	/** Shades the area under a series that has no gaps (throughput). */
	fillArea?: boolean;
}

/** Where a panel goes: its vertical band and the horizontal extent of its plot area. */
export interface PanelFrame {
	top: number;
	height: number;
	plotLeft: number;
	plotRight: number;
	/** Where the panel title starts (left of the value labels). */
	titleLeft: number;
}

/** The shared time axis: an x for every point, and the tick positions with their labels. */
export interface TimeAxis {
	xs: readonly number[];
	ticks: ReadonlyArray<{ x: number; label: string }>;
}

const TITLE_BASELINE = 18;
const PLOT_TOP = 36;
const PLOT_BOTTOM_GAP = 26;
const LEGEND_LINE = 18;

/** One panel of the trend chart as SVG markup: title, legend, grid, value and time labels, lines. */
export function renderPanel(spec: PanelSpec, frame: PanelFrame, axis: TimeAxis): string {
	const plotTop = frame.top + PLOT_TOP;
	const plotBottom = frame.top + frame.height - PLOT_BOTTOM_GAP;
	const parts: string[] = [];
	const titleWidth = frame.plotRight - frame.titleLeft - (spec.legend ? legendWidth(spec.series) + 16 : 0);
	parts.push(svgText(frame.titleLeft, frame.top + TITLE_BASELINE, fitText(spec.title, THEME.panelTitleSize, titleWidth), { size: THEME.panelTitleSize, fill: THEME.text }));
	if (spec.legend) parts.push(renderLegend(spec.series, frame.plotRight, frame.top + TITLE_BASELINE));

	for (const tick of axis.ticks) {
		const x = coordinate(tick.x);
		parts.push(`<line x1="${x}" y1="${coordinate(plotTop)}" x2="${x}" y2="${coordinate(plotBottom)}" stroke="${THEME.grid}" stroke-width="1"/>`);
		parts.push(`<line x1="${x}" y1="${coordinate(plotBottom)}" x2="${x}" y2="${coordinate(plotBottom + 4)}" stroke="${THEME.axis}" stroke-width="1"/>`);
		parts.push(svgText(tick.x, plotBottom + 17, tick.label, { size: THEME.labelSize, fill: THEME.mutedText, anchor: 'middle' }));
	}

	const present = spec.series.flatMap((series) => series.values.filter((value): value is number => value !== null));
	if (present.length === 0) {
		parts.push(axisLine(frame, plotBottom));
		parts.push(svgText((frame.plotLeft + frame.plotRight) / 2, (plotTop + plotBottom) / 2 + 5, 'no data', { size: 14, fill: THEME.noDataText, anchor: 'middle' }));
		return `<g>${parts.join('')}</g>`;
	}

	const ticks = niceTicks(spec.fixedMax ?? Math.max(...present));
	const top = ticks.values[ticks.values.length - 1];
	const toY = (value: number) => plotBottom - (Math.min(value, top) / top) * (plotBottom - plotTop);
	ticks.values.forEach((value, index) => {
		const y = toY(value);
		if (value > 0) parts.push(`<line x1="${coordinate(frame.plotLeft)}" y1="${coordinate(y)}" x2="${coordinate(frame.plotRight)}" y2="${coordinate(y)}" stroke="${THEME.grid}" stroke-width="1"/>`);
		parts.push(svgText(frame.plotLeft - 8, y + 4, ticks.labels[index], { size: THEME.labelSize, fill: THEME.mutedText, anchor: 'end' }));
	});
	parts.push(axisLine(frame, plotBottom));

	for (const series of spec.series) {
		const ys = series.values.map((value) => (value === null ? null : toY(value)));
		const line = linePath(axis.xs, ys);
		if (spec.fillArea && line.d !== '' && !ys.includes(null)) {
			const baseline = coordinate(plotBottom);
			const area = `${line.d} L${coordinate(axis.xs[axis.xs.length - 1])} ${baseline} L${coordinate(axis.xs[0])} ${baseline} Z`;
			parts.push(`<path d="${area}" fill="${series.colour}" fill-opacity="0.12" stroke="none"/>`);
		}
		if (line.d !== '') {
			parts.push(`<path d="${line.d}" fill="none" stroke="${series.colour}" stroke-width="${THEME.lineWidth}" stroke-linejoin="round" stroke-linecap="round" data-series="${escapeXml(series.name)}"/>`);
		}
		for (const dot of line.isolated) {
			parts.push(`<circle cx="${coordinate(dot.x)}" cy="${coordinate(dot.y)}" r="3" fill="${series.colour}"/>`);
		}
	}
	return `<g>${parts.join('')}</g>`;
}

function axisLine(frame: PanelFrame, plotBottom: number): string {
	const y = coordinate(plotBottom);
	return `<line x1="${coordinate(frame.plotLeft)}" y1="${y}" x2="${coordinate(frame.plotRight)}" y2="${y}" stroke="${THEME.axis}" stroke-width="1"/>`;
}

function legendEntryWidth(series: PanelSeries): number {
	return LEGEND_LINE + 6 + textWidth(series.name, THEME.labelSize);
}

function legendWidth(series: readonly PanelSeries[]): number {
	return series.reduce((sum, entry) => sum + legendEntryWidth(entry), 0) + 16 * (series.length - 1);
}

/** Series names with a short line of their colour, laid out leftwards from the right edge of the plot. */
function renderLegend(series: readonly PanelSeries[], right: number, baseline: number): string {
	const parts: string[] = [];
	let x = right - legendWidth(series);
	for (const entry of series) {
		const y = coordinate(baseline - 4);
		parts.push(`<line x1="${coordinate(x)}" y1="${y}" x2="${coordinate(x + LEGEND_LINE)}" y2="${y}" stroke="${entry.colour}" stroke-width="3" stroke-linecap="round"/>`);
		parts.push(svgText(x + LEGEND_LINE + 6, baseline, entry.name, { size: THEME.labelSize, fill: THEME.text }));
		x += legendEntryWidth(entry) + 16;
	}
	return parts.join('');
}
