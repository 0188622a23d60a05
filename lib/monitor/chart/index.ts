export { renderTrendSvg, type TrendChartOptions } from './renderTrendSvg';
export { renderTrendPng, type TrendPng } from './renderTrendPng';
export { svgToPng } from './svgToPng';
export { niceTicks, type NiceTicks } from './niceTicks';
export type { TrendPoint } from './trendPoint';
