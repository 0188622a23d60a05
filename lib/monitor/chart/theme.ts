/**
 * Colours and text sizes of the trend chart. Series colours differ in hue and in lightness (blue, orange, dark
 * red, green, purple), so they stay apart in greyscale and for the common colour-vision deficiencies.
 */
export const THEME = {
	background: '#ffffff',
	text: '#111827',
	mutedText: '#4b5563',
	noDataText: '#6b7280',
	grid: '#e5e7eb',
	axis: '#9ca3af',
	p50: '#2166ac',
	p95: '#e08214',
	p99: '#b2182b',
	throughput: '#1b7837',
	hitRate: '#762a83',
	titleSize: 18,
	panelTitleSize: 14,
	labelSize: 12,
	lineWidth: 2,
} as const;
