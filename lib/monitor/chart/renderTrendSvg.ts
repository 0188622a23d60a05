import { renderPanel, type PanelFrame, type PanelSpec, type TimeAxis } from './panel';
import { fitText, svgText, textWidth } from './svgText';
import { THEME } from './theme';
import { formatUtcDateTime, timeTicks } from './timeTicks';
import { readTrendPoints, type TimedPoint, type TrendPoint } from './trendPoint';

export interface TrendChartOptions {
	/** Shown at the top; plain text (escaped here). */
	title: string;
	/** Pixels. @default 960 */
	width?: number;
	/** Pixels. @default 720 */
	height?: number;
}

const DEFAULT_WIDTH = 960;
const DEFAULT_HEIGHT = 720;
const MIN_WIDTH = 480;
const MIN_HEIGHT = 360;
/** Beyond this a PNG gets large (4096² RGBA is 64 MiB while rendering) for no gain in a report. */
const MAX_SIDE = 4096;

const MARGIN_LEFT = 72;
const MARGIN_RIGHT = 28;
const TITLE_LEFT = 20;
const HEADER_HEIGHT = 44;
const FOOTER_HEIGHT = 8;
/** A single point, or points all at one time, get this much time on each side so they sit mid-axis. */
const LONE_POINT_PAD_MS = 60_000;
/** Time labels are about 35 px wide at 12 px; this spacing keeps them well apart. */
const MIN_TICK_SPACING = 90;

/**
 * A trend chart as SVG: latency p50/p95/p99, throughput and cache hit rate in three panels stacked over one
 * time axis (UTC). Written by hand rather than with a chart library so that it renders without a browser, and
 * the same input always gives the same markup (and so the same PNG).
 */
export function renderTrendSvg(points: readonly TrendPoint[], options: TrendChartOptions): string {
	if (typeof options?.title !== 'string') throw new TypeError('Expected `options.title` to be a string');
	const width = checkSide(options.width ?? DEFAULT_WIDTH, 'width', MIN_WIDTH);
	const height = checkSide(options.height ?? DEFAULT_HEIGHT, 'height', MIN_HEIGHT);
	const timed = readTrendPoints(points);
	const plotLeft = MARGIN_LEFT;
	const plotRight = width - MARGIN_RIGHT;
	const axis = timeAxis(timed, plotLeft, plotRight);
	const panelHeight = (height - HEADER_HEIGHT - FOOTER_HEIGHT) / 3;

	const parts: string[] = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans">`,
		`<rect x="0" y="0" width="${width}" height="${height}" fill="${THEME.background}"/>`,
	];
	const range = timeRangeLabel(timed);
	const titleWidth = plotRight - TITLE_LEFT - textWidth(range, THEME.labelSize) - 16;
	parts.push(svgText(TITLE_LEFT, 29, fitText(options.title, THEME.titleSize, titleWidth), { size: THEME.titleSize, fill: THEME.text }));
	if (range !== '') parts.push(svgText(plotRight, 29, range, { size: THEME.labelSize, fill: THEME.mutedText, anchor: 'end' }));

	panelSpecs(timed).forEach((spec, index) => {
		const frame: PanelFrame = { top: HEADER_HEIGHT + index * panelHeight, height: panelHeight, plotLeft, plotRight, titleLeft: TITLE_LEFT };
		parts.push(renderPanel(spec, frame, axis));
	});
	parts.push('</svg>');
	return parts.join('\n');
}

/** The span the points cover, e.g. `2026-01-15 11:45 – 2026-01-15 13:14 UTC`; the time labels alone have no date. */
function timeRangeLabel(points: readonly TimedPoint[]): string {
	if (points.length === 0) return '';
	const first = formatUtcDateTime(points[0].at);
	const last = formatUtcDateTime(points[points.length - 1].at);
	return first === last ? `${first} UTC` : `${first} – ${last} UTC`;
}

function checkSide(value: number, name: string, min: number): number {
	if (!Number.isInteger(value) || value < min || value > MAX_SIDE) {
		throw new RangeError(`Expected \`options.${name}\` to be an integer from ${min} to ${MAX_SIDE} pixels, got ${value}`);
	}
	return value;
}

function timeAxis(points: readonly TimedPoint[], left: number, right: number): TimeAxis {
	if (points.length === 0) return { xs: [], ticks: [] };
	let from = points[0].at;
	let to = points[points.length - 1].at;
	if (from === to) {
		from -= LONE_POINT_PAD_MS;
		to += LONE_POINT_PAD_MS;
	}
	const toX = (at: number) => left + ((at - from) / (to - from)) * (right - left);
	const maxTicks = Math.min(6, Math.floor((right - left) / MIN_TICK_SPACING));
	return {
		xs: points.map((point) => toX(point.at)),
		ticks: timeTicks(from, to, maxTicks).map((tick) => ({ x: toX(tick.at), label: tick.label })),
	};
}

function panelSpecs(points: readonly TimedPoint[]): PanelSpec[] {
	return [
		{
			title: 'Latency (ms)',
			legend: true,
			series: [
				{ name: 'p50', colour: THEME.p50, values: points.map((point) => point.latencyMs.p50) },
				{ name: 'p95', colour: THEME.p95, values: points.map((point) => point.latencyMs.p95) },
				{ name: 'p99', colour: THEME.p99, values: points.map((point) => point.latencyMs.p99) },
			],
		},
		{
			title: 'Throughput (calls/min)',
			fillArea: true,
			series: [{ name: 'throughput', colour: THEME.throughput, values: points.map((point) => point.throughputPerMin) }],
		},
		{
			title: 'Cache hit rate (%)',
			fixedMax: 100,
			series: [
				{ name: 'hit rate', colour: THEME.hitRate, values: points.map((point) => (point.hitRate === null ? null : point.hitRate * 100)) },
			],
		},
	];
}
