import { PINNED_N8N_VERSION, targetN8nVersion } from './n8nInstance';

/** True when this run targets the pinned n8n (the default, and what `.ci/run` runs). */
export function onPinnedN8n(): boolean {
	return targetN8nVersion() === PINNED_N8N_VERSION;
}

/** A test's title; where it is skipped, the title says why, so that reports show it. */
function scopedTitle(runs: boolean, title: string, whyNot: string): string {
	return runs ? title : `${title} [skipped on n8n ${targetN8nVersion()}: ${whyNot}]`;
}

/** `it` where `runs`, else `it.skip` with `whyNot` in its title. */
export function itIf(runs: boolean, title: string, whyNot: string, test: jest.ProvidesCallback, timeout?: number): void {
	(runs ? it : it.skip)(scopedTitle(runs, title, whyNot), test, timeout);
}

/** `describe` where `runs`, else `describe.skip` with `whyNot` in its title. */
export function describeIf(runs: boolean, title: string, whyNot: string, tests: () => void): void {
	(runs ? describe : describe.skip)(scopedTitle(runs, title, whyNot), tests);
}

/** `it` on the pinned n8n only. */
export function itOnPinnedN8n(title: string, reason: string, test: jest.ProvidesCallback, timeout?: number): void {
	itIf(onPinnedN8n(), title, `${reason}; it runs on ${PINNED_N8N_VERSION}`, test, timeout);
}

/** `describe` on the pinned n8n only. */
export function describeOnPinnedN8n(title: string, reason: string, tests: () => void): void {
	describeIf(onPinnedN8n(), title, `${reason}; it runs on ${PINNED_N8N_VERSION}`, tests);
}

/** Why the browser tests run on one version: the editor's markup they read changes between releases. */
export const BROWSER_SCOPE = "the browser checks read the editor's markup, which changes between n8n releases";
