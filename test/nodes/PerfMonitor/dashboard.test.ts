import { resetSharedProcessState } from '../../../lib/state';
import { monitorHarness, monitorWorkflow, recordEvents } from './monitorWorkflow';

type Json = Record<string, any>;

const HOSTILE = `<script>alert("x")</script> & 'quoted' "name"`;
const HTTP_REQUEST = 'n8n-nodes-base.httpRequest';

/** Every attribute or CSS reference that could make a browser fetch something; only in-page anchors and inline data are allowed. */
function externalReferences(html: string): string[] {
	const references = [...html.matchAll(/\b(?:src|href|action|poster|srcset)\s*=\s*["']?([^"'\s>]*)/gi)].map((match) => match[1]).filter((target) => !target.startsWith('#') && !target.startsWith('data:'));
	const cssUrls = [...html.matchAll(/url\(|@import/gi)].map((match) => match[0]);
	const scripts = [...html.matchAll(/<(?:script|img|iframe|object|embed)\b|<link\b(?![^>]*href="data:)/gi)].map((match) => match[0]);
	// Inline SVG's namespace is an identifier, never fetched; any other absolute URL is suspect.
	const urls = [...html.matchAll(/https?:\/\/[^\s"'<>]+/gi)].map((match) => match[0]).filter((url) => url !== 'http://www.w3.org/2000/svg');
	return [...references, ...cssUrls, ...scripts, ...urls];
}

async function dashboard(parameters: Json = {}, options: { id?: string } = {}): Promise<Json> {
	const result = await monitorHarness().run(monitorWorkflow({ operation: 'renderDashboard', window: 5, ...parameters }, options));
	expect(result.status).toBe('success');
	const [item] = result.items('Monitor');
	expect(item.pairedItem).toEqual([{ item: 0 }]);
	return item.json as Json;
}

describe('Perf Monitor: Render Dashboard', () => {
	beforeEach(() => resetSharedProcessState());

	it('renders one self-contained HTML page with the figures of the components that ran', async () => {
		recordEvents([
			...Array.from({ length: 4 }, () => ({ durationMs: 100, cache: 'hit' as const, costSavedUsd: 0.002, tokensSaved: 50 })),
			...Array.from({ length: 6 }, () => ({ durationMs: 300, cache: 'miss' as const, costUsd: 0.003, tokensIn: 120, tokensOut: 30 })),
		]);
		recordEvents([{ nodeType: 'n8n-nodes-perf-optimizer.templatePopulate', nodeName: 'Render', operation: 'populate', durationMs: 4 }]);
		const page = await dashboard({ refreshSeconds: 15, dashboardTitle: 'Team dashboard' });
		expect(page.contentType).toBe('text/html; charset=utf-8');
		const html: string = page.html;
		expect(page.bytes).toBe(Buffer.byteLength(html));
		expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
		expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
		expect(html).toContain('<meta http-equiv="refresh" content="15">');
		expect(html).toContain('@media (prefers-color-scheme:dark)');
		expect(html).toContain('<title>Team dashboard</title>');
		expect(html).toMatch(/id="total-calls">11</);
		expect(html).toMatch(/<tr data-node="Ask" data-component="optimizedAiCall">/);
		expect(html).toMatch(/<tr data-node="Render" data-component="templatePopulate">/);
		// Ask: 4 of 10 served by the cache; 6 x $0.003 spent, 4 x $0.002 saved.
		const askRow = html.match(/<tr data-node="Ask"[^]*?<\/tr>/)![0];
		expect(askRow).toContain('40%');
		expect(askRow).toContain('$0.0180');
		expect(askRow).toContain('$0.0080');
		expect(askRow).toContain('720 / 180 / 200');
		expect(html).toContain('How the health score is computed');
		expect(html).toContain('<svg');
		expect(html).toContain('Bottlenecks');
		expect(html).not.toContain('id="slowest-nodes"');
		expect(externalReferences(html)).toEqual([]);
		// The check finds what it looks for.
		expect(externalReferences('<img src="x.png"><link rel="stylesheet" href="/a.css"><style>@import "b.css"</style>')).toEqual(['x.png', '/a.css', '@import', '<img', '<link']);
	});

	it('escapes node and workflow names and the title', async () => {
		recordEvents([{ nodeName: HOSTILE, durationMs: 50, outcome: 'server' as const }], HOSTILE);
		recordEvents([{ nodeType: HTTP_REQUEST, nodeName: HOSTILE, operation: 'execute', durationMs: 900 }], HOSTILE);
		const html: string = (await dashboard({ scope: 'all', dashboardTitle: HOSTILE, refreshSeconds: 0 })).html;
		expect(html).not.toContain('<script');
		expect(html).not.toContain(HOSTILE);
		expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quoted&apos; &quot;name&quot;');
		expect(html).not.toContain('http-equiv="refresh"');
		// The only attributes are ours: no quote in a name closes one early.
		expect(html).toContain(`data-node="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quoted&apos; &quot;name&quot;"`);
		expect(externalReferences(html)).toEqual([]);
	});

	it('shows the slowest nodes of each workflow once readings of other node types exist', async () => {
		recordEvents([{ nodeName: 'Ask', durationMs: 200 }], 'wfA');
		recordEvents(
			[
				{ nodeType: HTTP_REQUEST, nodeName: 'Fetch Orders', operation: 'execute', durationMs: 1200 },
				{ nodeType: 'n8n-nodes-base.set', nodeName: 'Tidy', operation: 'execute', durationMs: 2 },
			],
			'wfA',
		);
		recordEvents([{ nodeType: 'n8n-nodes-base.code', nodeName: 'Crunch', operation: 'execute', durationMs: 40 }], 'wfB');
		const html: string = (await dashboard({ scope: 'all' })).html;
		const table = html.slice(html.indexOf('<section id="slowest-nodes">'));
		expect(table).toContain('Slowest nodes of each workflow');
		expect(table.indexOf('<h3>wfA</h3>')).toBeGreaterThan(-1);
		expect(table.indexOf('<h3>wfB</h3>')).toBeGreaterThan(-1);
		const wfA = table.slice(table.indexOf('<h3>wfA</h3>'), table.indexOf('<h3>wfB</h3>') > table.indexOf('<h3>wfA</h3>') ? table.indexOf('<h3>wfB</h3>') : undefined);
		// Slowest first: Fetch Orders (1.2 s), Ask (200 ms), Tidy (2 ms).
		expect(wfA.indexOf('Fetch Orders')).toBeLessThan(wfA.indexOf('>Ask<'));
		expect(wfA.indexOf('>Ask<')).toBeLessThan(wfA.indexOf('Tidy'));
		expect(table).toContain('httpRequest');
	});

	it('lists firing alerts with their messages without touching Check Alerts state', async () => {
		// Default rules include an error rate rule; 10 failing calls make it fire.
		recordEvents(Array.from({ length: 10 }, () => ({ outcome: 'server' as const })));
		const html: string = (await dashboard()).html;
		const alerts = html.slice(html.indexOf('<h2>Active alerts</h2>'));
		expect(alerts).not.toContain('id="alerts-none"');
		// Critical first, then warning: both default error-rate rules fire at 100%.
		expect(alerts).toMatch(/<ul class="alerts">\n<li><span class="bad">critical<\/span> Error rate is 100%[^<]*<\/li>\n<li><span class="warn">warning<\/span> Error rate is 100% over the last 5 min \(alert when &gt; 5%; 10 calls\)/);
		// Check Alerts still sees the alert as new, so it is still sent.
		const check = await monitorHarness().run(monitorWorkflow({ operation: 'checkAlerts' }));
		expect(check.json('Monitor', 1).map((alert) => alert.status)).toEqual(['firing', 'firing']);
	});

	it('stays under 300 KB with 200 series over a day', async () => {
		const now = Date.now();
		const events = Array.from({ length: 200 }, (_, index) =>
			Array.from({ length: 5 }, (_, call) => ({
				nodeName: `Node ${index} with a rather long descriptive name`,
				durationMs: 10 + index + call * 7,
				cache: call % 2 === 0 ? ('hit' as const) : ('miss' as const),
				at: now - ((index * 7 + call * 97) % 1440) * 60_000,
			})),
		).flat();
		recordEvents(events);
		const page = await dashboard({ window: 1440 });
		expect((page.html.match(/<tr data-node=/g) ?? []).length).toBe(200);
		expect(page.bytes).toBeLessThan(300 * 1024);
	});

	it('names the field of a bad refresh interval', async () => {
		const result = await monitorHarness().run(monitorWorkflow({ operation: 'renderDashboard', refreshSeconds: -5 }));
		expect(result.status).toBe('error');
		expect(result.nodeError('Monitor')).toContain("'Auto-Refresh (Seconds)' must be a whole number from 0 to 3600, got -5");
	});
});
