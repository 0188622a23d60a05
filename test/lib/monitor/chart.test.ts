import { niceTicks, renderTrendPng, renderTrendSvg, svgToPng, type TrendPoint } from '../../../lib/monitor/chart';
import { timeTicks } from '../../../lib/monitor/chart/timeTicks';

const START = Date.UTC(2026, 0, 15, 12, 0);

function point(minute: number, p50: number | null, throughputPerMin = 10, hitRate: number | null = 0.5): TrendPoint {
	return {
		start: new Date(START + minute * 60_000).toISOString(),
		latencyMs: p50 === null ? { p50: null, p95: null, p99: null } : { p50, p95: p50 * 2, p99: p50 * 3 },
		throughputPerMin,
		hitRate,
	};
}

const halfHour = Array.from({ length: 31 }, (_, minute) => point(minute, 100 + minute * 10, 20 + (minute % 5), minute / 40));

function pngSize(png: Buffer): { width: number; height: number } {
	expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
	return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The `d` of the line drawn for one series. */
function seriesPath(svg: string, name: string): string {
	const match = new RegExp(`<path d="([^"]*)"[^>]*data-series="${name}"`).exec(svg);
	if (match === null) throw new Error(`no line for ${name}`);
	return match[1];
}

describe('renderTrendPng', () => {
	it('writes a PNG of the requested size', async () => {
		const result = await renderTrendPng(halfHour, { title: 'Trend', width: 800, height: 600 });
		expect([...result.png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
		expect(pngSize(result.png)).toEqual({ width: 800, height: 600 });
		expect(result).toMatchObject({ width: 800, height: 600 });
	});

	it('defaults to 960 × 720', async () => {
		expect(pngSize((await renderTrendPng(halfHour, { title: 'Trend' })).png)).toEqual({ width: 960, height: 720 });
	});

	it('gives identical bytes for the same input', async () => {
		const points = [...halfHour.slice(0, 10), point(10, null, 0, null), ...halfHour.slice(11)];
		const first = (await renderTrendPng(points, { title: 'Same' })).png;
		const second = (await renderTrendPng(points.map((entry) => ({ ...entry })), { title: 'Same' })).png;
		expect(first.equals(second)).toBe(true);
	});

	it('renders empty input as "no data" panels', async () => {
		const svg = renderTrendSvg([], { title: 'Nothing yet' });
		expect(svg.match(/>no data</g)).toHaveLength(3);
		expect(pngSize((await renderTrendPng([], { title: 'Nothing yet' })).png)).toEqual({ width: 960, height: 720 });
	});

	it('refuses a size out of range, naming the option', async () => {
		await expect(renderTrendPng(halfHour, { title: 'x', width: 100 })).rejects.toThrow('`options.width`');
		await expect(renderTrendPng(halfHour, { title: 'x', height: 720.5 })).rejects.toThrow('`options.height`');
	});
});

describe('renderTrendSvg', () => {
	it('has the three panels, each with time labels in UTC', () => {
		const svg = renderTrendSvg(halfHour, { title: 'Trend' });
		for (const title of ['Latency (ms)', 'Throughput (calls/min)', 'Cache hit rate (%)']) expect(svg).toContain(`>${title}<`);
		expect(svg.match(/>12:00</g)).toHaveLength(3);
		expect(svg.match(/>12:30</g)).toHaveLength(3);
		expect(svg).toContain('2026-01-15 12:00 – 2026-01-15 12:30 UTC');
		for (const name of ['p50', 'p95', 'p99']) expect(svg).toContain(`>${name}<`);
	});

	it('escapes the title, and the markup stays valid SVG', async () => {
		const svg = renderTrendSvg(halfHour, { title: 'Errors <prod> & "retries"' });
		expect(svg).toContain('Errors &lt;prod&gt; &amp; &quot;retries&quot;');
		expect(svg).not.toContain('<prod>');
		// resvg refuses malformed XML, so a render proves the escaping.
		await expect(svgToPng(svg)).resolves.toBeInstanceOf(Buffer);
	});

	it('shortens a title too long for the chart with an ellipsis', () => {
		const svg = renderTrendSvg(halfHour, { title: 'x'.repeat(500) });
		expect(svg).toMatch(/>x+…</);
		expect(svg).not.toContain('x'.repeat(200));
	});

	it('breaks lines at null values and dots values that stand alone', () => {
		const points = [point(0, 100), point(1, 120), point(2, null), point(3, 140), point(4, 160), point(5, null), point(6, 90)];
		const svg = renderTrendSvg(points, { title: 'Gaps' });
		const p50 = seriesPath(svg, 'p50');
		expect(p50.match(/M/g)).toHaveLength(2);
		expect(p50.match(/L/g)).toHaveLength(2);
		// The lone point at minute 6: one dot per latency line.
		expect(svg.match(/<circle /g)).toHaveLength(3);
	});

	it('draws the hit rate in percent on a fixed 0–100 axis, and "no data" where it is always null', () => {
		const svg = renderTrendSvg(halfHour, { title: 'Hit rate' });
		for (const label of ['0', '25', '50', '75', '100']) expect(svg).toContain(`>${label}</text>`);
		const noCache = renderTrendSvg([point(0, 100, 5, null), point(1, 110, 6, null)], { title: 'No cache' });
		expect(noCache.match(/>no data</g)).toHaveLength(1);
		expect(noCache).not.toContain('data-series="hit rate"');
	});

	it('refuses bad points with a message naming the field', () => {
		expect(() => renderTrendSvg([point(0, 1), { ...point(1, 1), start: 'yesterday' }], { title: 'x' })).toThrow('points[1].start');
		expect(() => renderTrendSvg([point(0, 1, 1, 1.5)], { title: 'x' })).toThrow('points[0].hitRate');
		expect(() => renderTrendSvg([point(0, -1)], { title: 'x' })).toThrow('points[0].latencyMs.p50');
	});
});

describe('niceTicks', () => {
	it.each([
		[100, ['0', '25', '50', '75', '100']],
		[2900, ['0', '1000', '2000', '3000']],
		[0.4, ['0', '0.1', '0.2', '0.3', '0.4']],
		[0.23, ['0', '0.1', '0.2', '0.3']],
		[0, ['0', '0.25', '0.5', '0.75', '1']],
		[37_000, ['0', '10k', '20k', '30k', '40k']],
		[8_800, ['0', '2.5k', '5k', '7.5k', '10k']],
		[9_000_000, ['0', '2.5M', '5M', '7.5M', '10M']],
	])('covers %p with %p', (max, labels) => {
		expect(niceTicks(max).labels).toEqual(labels);
	});

	it('always gives 4 or 5 ticks from 0 up to at least the maximum', () => {
		for (let max = 0.001; max < 1e7; max *= 1.37) {
			const { values } = niceTicks(max);
			expect(values.length).toBeGreaterThanOrEqual(4);
			expect(values.length).toBeLessThanOrEqual(5);
			expect(values[0]).toBe(0);
			expect(values[values.length - 1]).toBeGreaterThanOrEqual(max);
		}
	});
});

describe('timeTicks', () => {
	it('puts a handful of round UTC times in the range', () => {
		const labels = (maxTicks: number) => timeTicks(START - 7 * 60_000, START + 83 * 60_000, maxTicks).map((tick) => tick.label);
		expect(labels(6)).toEqual(['12:00', '12:15', '12:30', '12:45', '13:00', '13:15']);
		expect(labels(4)).toEqual(['12:00', '12:30', '13:00']);
		expect(timeTicks(Date.UTC(2026, 0, 15, 23, 50), Date.UTC(2026, 0, 16, 0, 10), 6).map((tick) => tick.label)).toEqual(['23:50', '23:55', '00:00', '00:05', '00:10']);
	});
});
