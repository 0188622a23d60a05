/**
 * Renders docs/images/perf-monitor-chart.png, the chart shown in README: an hour of simulated Optimized AI Call
 * traffic (a cache warming up, a latency spike) through the real metrics store, trend builder and renderer.
 * Run: npx ts-node --transpile-only scripts/readmeChart.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetricsStore, MINUTE_MS } from '../lib/metrics';
import { buildTrend } from '../lib/monitor/analysis';
import { renderTrendPng } from '../lib/monitor/chart';
import { ManualClock } from '../lib/shared/clock';
import { logNormalSampler, seededRandom } from '../test/helpers/random';

const clock = new ManualClock(Date.UTC(2026, 10, 26, 14, 0));
const store = new MetricsStore({ instanceId: 'readme', clock });
const random = seededRandom(8);
const start = clock.now();
for (let minute = 0; minute < 60; minute++) {
	const calls = 40 + Math.round(20 * Math.sin(minute / 8)) + Math.round(random() * 10);
	const hitRatio = Math.min(0.85, 0.1 + minute * 0.015);
	const slow = minute >= 38 && minute < 44 ? 2.5 : 1;
	const latency = logNormalSampler(random, Math.log(600 * slow), 0.5);
	for (let call = 0; call < calls; call++) {
		const hit = random() < hitRatio;
		store.record({
			nodeType: 'n8n-nodes-perf-optimizer.optimizedAiCall',
			nodeName: 'Ask',
			operation: 'chat',
			durationMs: hit ? 0.02 : latency(),
			cache: hit ? 'hit' : 'miss',
			at: start + minute * MINUTE_MS + call,
		});
	}
}
async function main() {
	const window = { sinceMs: start, untilMs: start + 60 * MINUTE_MS };
	const trend = buildTrend(await store.minuteSeries(window), { bucket: 'minute', ...window });
	const { png } = await renderTrendPng(trend.points, { title: 'Perf Monitor: Optimized AI Call "Ask", last 60 min' });
	const target = join(__dirname, '..', 'docs', 'images', 'perf-monitor-chart.png');
	writeFileSync(target, png);
	process.stdout.write(`wrote ${target} (${png.length} bytes)\n`);
}

main().catch((error) => {
	process.stderr.write(`${error?.stack ?? error}\n`);
	process.exit(1);
});
