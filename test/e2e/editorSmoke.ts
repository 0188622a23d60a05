import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_OWNER, type N8nInstance } from './n8nInstance';
import { readExample, type PublishedExample } from './exampleSet';

/** Debian's chromium package; playwright's own browser download cannot reach its servers here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];
const OUR_PREFIX = 'n8n-nodes-perf-optimizer.';

export interface RenderedNode {
	workflow: string;
	node: string;
	type: string;
	iconUrl: string | null;
	iconWidth: number;
	parameterCount: number;
	/** Whether the panel offers the State Backend choice every node of ours has. */
	hasStateBackend: boolean;
}

/** Chromium on a fresh profile folder (never the user's own). */
export async function launchChromium(userDataDir: string): Promise<BrowserContext> {
	if (!existsSync(CHROMIUM)) {
		throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`);
	}
	const { chromium } = await import('playwright-core');
	return await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_FLAGS, viewport: { width: 1440, height: 900 } });
}

export async function signIn(page: Page, n8n: N8nInstance): Promise<void> {
	await page.goto(`${n8n.baseUrl}/signin`);
	await page.fill('input[name=emailOrLdapLoginId]', DEMO_OWNER.email);
	await page.fill('input[name=password]', DEMO_OWNER.password);
	await page.click('[data-test-id=form-submit-button]');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
}

/**
 * Opens one example in the editor, checks that each of its nodes is on the canvas, that ours show their own
 * icon (an unknown node type would show a placeholder) and that each of ours opens a parameter panel with
 * parameters. Saves a canvas screenshot and one of the first panel of each of our node types.
 */
export async function inspectExample(
	page: Page,
	n8n: N8nInstance,
	example: PublishedExample,
	screenshots: { folder: string; panelsTaken: Set<string> },
): Promise<RenderedNode[]> {
	const workflow = readExample(example.file);
	await page.goto(`${n8n.baseUrl}/workflow/${example.id}`);
	const canvasNodes = page.locator('[data-test-id=canvas-node]');
	// Sticky notes are drawn on the canvas but are not canvas nodes.
	const shown = (workflow.nodes as Array<{ type: string }>).filter((node) => node.type !== 'n8n-nodes-base.stickyNote').length;
	await canvasNodes.nth(shown - 1).waitFor({ timeout: 30_000 });
	expect(await canvasNodes.count()).toBe(shown);
	await page.waitForLoadState('networkidle');
	mkdirSync(screenshots.folder, { recursive: true });
	await page.screenshot({ path: join(screenshots.folder, `editor-${example.file.replace(/\.json$/, '')}.png`) });

	const rendered: RenderedNode[] = [];
	for (const node of workflow.nodes as Array<{ name: string; type: string }>) {
		if (!node.type.startsWith(OUR_PREFIX)) continue;
		const target = page.locator(`[data-test-id=canvas-node][data-node-name="${node.name}"]`);
		const icon = target.locator('img').first();
		const iconUrl = (await icon.count()) > 0 ? await icon.getAttribute('src') : null;
		const iconWidth = iconUrl ? await icon.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth) : 0;
		await target.dblclick();
		const panel = page.locator('[data-test-id=ndv]');
		await panel.waitFor({ state: 'visible', timeout: 15_000 });
		const parameterCount = await panel.locator('[data-test-id=node-parameters] [data-test-id=parameter-item]').count();
		const hasStateBackend = (await panel.locator('[data-test-id=parameter-input-stateBackend]').count()) > 0;
		const type = node.type.slice(OUR_PREFIX.length);
		if (!screenshots.panelsTaken.has(type)) {
			screenshots.panelsTaken.add(type);
			await page.screenshot({ path: join(screenshots.folder, `panel-${type}.png`) });
		}
		await page.locator('[data-test-id=ndv-close-button]').click();
		await panel.waitFor({ state: 'hidden', timeout: 15_000 });
		rendered.push({ workflow: example.file, node: node.name, type, iconUrl, iconWidth, parameterCount, hasStateBackend });
	}
	return rendered;
}

export interface DashboardView {
	/** The rows of the components table: node name and component kind. */
	components: Array<{ node: string; component: string }>;
	totalCalls: string;
	generatedAt: string;
}

/** What the dashboard page shows, read from the rendered page (not from its source). */
export async function readDashboard(page: Page): Promise<DashboardView> {
	return await page.evaluate(() => {
		const doc = (globalThis as unknown as { document: any }).document;
		const rows = [...doc.querySelectorAll('tr[data-node]')] as Array<{ getAttribute(name: string): string }>;
		return {
			components: rows.map((row) => ({ node: row.getAttribute('data-node'), component: row.getAttribute('data-component') })),
			totalCalls: doc.querySelector('#total-calls')?.textContent ?? '',
			generatedAt: doc.querySelector('#generated-at')?.textContent ?? '',
		};
	});
}

/**
 * Waits for the page's own refresh (its meta refresh reloads the same URL) until `changed` says the new view
 * differs; fails after `timeoutMs`.
 */
export async function waitForRefresh(page: Page, changed: (view: DashboardView) => boolean, timeoutMs = 30_000): Promise<DashboardView> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) throw new Error('The dashboard did not refresh with new figures in time');
		await page.waitForEvent('load', { timeout: remaining });
		const view = await readDashboard(page);
		if (changed(view)) return view;
	}
}
