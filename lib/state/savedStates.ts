import { isPlainObject } from '../shared/json';
import { WorkSlicer } from '../shared/yieldToEventLoop';
import type { ProcessState } from './processState';
import { mergeSnapshot, parseSnapshot, STATE_KEY } from './snapshot';

/** A workflow as n8n's public API lists it (`GET /api/v1/workflows`): only what we read. */
export interface SavedWorkflow {
	id: string;
	name?: string;
	staticData?: unknown;
}

export interface SavedWorkflowPage {
	data: SavedWorkflow[];
	nextCursor?: string | null;
}

/** What a process-wide report covers once saved states are loaded, said plainly. */
export interface SavedStatesCoverage {
	/** Workflows the listing returned. */
	workflowsListed: number;
	/** Of those, the ones with saved state of our nodes. */
	workflowsWithState: number;
	/** Saved states taken into this process now (the others it already held). */
	loaded: number;
	/** Workflows whose state could not be read, and why. */
	unreadable: Array<{ workflowId: string; name?: string; reason: string }>;
	/** Set when the listing itself stopped early: the report then lacks every workflow after that point. */
	listingError?: string;
	/** True when every listed workflow with state is in the report. */
	complete: boolean;
}

/** Pages listed at most (at 250 workflows a page, 20,000 workflows). */
const MAX_PAGES = 80;

/**
 * Takes every workflow's saved snapshot (its static data, as n8n's public API lists it) into this process's
 * state, so process-wide reports include workflows that have not run since a restart. Merging is the same as
 * when a workflow's own execution opens its state: newest copy wins per counter and per entry, so loading twice,
 * or a workflow running meanwhile, neither loses nor doubles a count.
 */
export async function loadSavedStates(process: ProcessState, listPage: (cursor?: string) => Promise<SavedWorkflowPage>): Promise<SavedStatesCoverage> {
	const coverage: SavedStatesCoverage = { workflowsListed: 0, workflowsWithState: 0, loaded: 0, unreadable: [], complete: false };
	const slicer = new WorkSlicer();
	let cursor: string | undefined;
	try {
		for (let page = 0; page < MAX_PAGES; page++) {
			const listed = await listPage(cursor);
			for (const workflow of listed.data) {
				coverage.workflowsListed++;
				takeSavedState(process, workflow, coverage);
				await slicer.maybeYield();
			}
			cursor = listed.nextCursor ?? undefined;
			if (!cursor) break;
		}
		if (cursor) coverage.listingError = `more than ${MAX_PAGES} pages of workflows; the rest were not read`;
	} catch (error) {
		coverage.listingError = (error as Error).message;
	}
	coverage.complete = coverage.listingError === undefined && coverage.unreadable.length === 0;
	return coverage;
}

function takeSavedState(process: ProcessState, workflow: SavedWorkflow, coverage: SavedStatesCoverage): void {
	const global = isPlainObject(workflow.staticData) ? workflow.staticData.global : undefined;
	const raw = isPlainObject(global) ? global[STATE_KEY] : undefined;
	if (raw === undefined) return;
	coverage.workflowsWithState++;
	try {
		const snapshot = parseSnapshot(raw);
		const state = process.workflow(workflow.id);
		if (state.wroteSnapshot(snapshot.sid)) return; // this process wrote it: already in memory
		mergeSnapshot(state, snapshot);
		coverage.loaded++;
	} catch (error) {
		coverage.unreadable.push({ workflowId: workflow.id, ...(workflow.name ? { name: workflow.name } : {}), reason: (error as Error).message });
	}
}
