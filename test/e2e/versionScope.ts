import { PINNED_N8N_VERSION, targetN8nVersion } from './n8nInstance';

/** True when this run targets the pinned n8n (the default, and what `.ci/run` runs). */
export function onPinnedN8n(): boolean {
	return targetN8nVersion() === PINNED_N8N_VERSION;
}

/** The title of a test that runs on the pinned n8n only; elsewhere it says why it was skipped, so reports show it. */
function scopedTitle(title: string, reason: string): string {
	return onPinnedN8n() ? title : `${title} [skipped on n8n ${targetN8nVersion()}: ${reason}; it runs on ${PINNED_N8N_VERSION}]`;
}

/** `it` on the pinned n8n, `it.skip` with the reason in its title on any other version. */
export function itOnPinnedN8n(title: string, reason: string, test: jest.ProvidesCallback, timeout?: number): void {
	(onPinnedN8n() ? it : it.skip)(scopedTitle(title, reason), test, timeout);
}

/** `describe` on the pinned n8n, `describe.skip` with the reason in its title on any other version. */
export function describeOnPinnedN8n(title: string, reason: string, tests: () => void): void {
	(onPinnedN8n() ? describe : describe.skip)(scopedTitle(title, reason), tests);
}

/** Why the browser tests run on one version: the editor's markup they read changes between releases. */
export const BROWSER_SCOPE = "the browser checks read the editor's markup, which changes between n8n releases";
