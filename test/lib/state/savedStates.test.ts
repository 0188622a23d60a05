import { buildSnapshot, loadSavedStates, ProcessState, STATE_KEY, type SavedWorkflowPage } from '../../../lib/state';
import type { MetricEvent } from '../../../lib/metrics';
import { ManualClock } from '../../../lib/shared/clock';

const event: MetricEvent = { nodeType: 'test.ai', nodeName: 'Ask', operation: 'chat', durationMs: 4, cache: 'hit' };

/** A workflow's saved static data with our snapshot, as the public API lists it. */
function savedWorkflow(process: ProcessState, workflowId: string, calls: number, clock: ManualClock) {
	const state = process.workflow(workflowId);
	for (let index = 0; index < calls; index++) state.metrics.record(event);
	state.cache('ai:Ask').set(`prompt-of-${workflowId}`, `answer of ${workflowId}`);
	const { stored } = buildSnapshot(state, 64 * 1024, clock);
	return { id: workflowId, name: `Workflow ${workflowId}`, staticData: { global: JSON.parse(JSON.stringify({ [STATE_KEY]: stored })) } };
}

async function callsByWorkflow(process: ProcessState): Promise<Record<string, number>> {
	const totals: Record<string, number> = {};
	for (const state of process.workflows()) {
		totals[state.workflowId] = (await state.metrics.query()).reduce((sum, series) => sum + series.counters.calls, 0);
	}
	return totals;
}

describe('loadSavedStates', () => {
	it('brings every saved workflow into a restarted process, says which could not be read, and never counts twice', async () => {
		const clock = new ManualClock();
		const before = new ProcessState({ instanceId: 'host-a', clock });
		const pages: SavedWorkflowPage[] = [
			{ data: [savedWorkflow(before, 'wf1', 7, clock), { id: 'plain', name: 'No state', staticData: null }], nextCursor: 'page-2' },
			{
				data: [savedWorkflow(before, 'wf2', 3, clock), { id: 'broken', name: 'Broken', staticData: { global: { [STATE_KEY]: { v: 99 } } } }],
				nextCursor: null,
			},
		];
		const after = new ProcessState({ instanceId: 'host-a', clock });
		const cursors: Array<string | undefined> = [];
		const listPage = async (cursor?: string) => {
			cursors.push(cursor);
			return pages[cursor === 'page-2' ? 1 : 0];
		};
		const coverage = await loadSavedStates(after, listPage);
		expect(cursors).toEqual([undefined, 'page-2']);
		expect(coverage).toMatchObject({ workflowsListed: 4, workflowsWithState: 3, loaded: 2, complete: false });
		expect(coverage.unreadable).toEqual([{ workflowId: 'broken', name: 'Broken', reason: expect.stringContaining('version is 99') }]);
		expect(await callsByWorkflow(after)).toEqual({ wf1: 7, wf2: 3 });
		expect(after.workflow('wf2').cache('ai:Ask').peek('prompt-of-wf2')?.value).toBe('answer of wf2');
		await loadSavedStates(after, listPage);
		expect(await callsByWorkflow(after)).toEqual({ wf1: 7, wf2: 3 });
	});

	it('says the listing stopped when a page cannot be read, keeping what it loaded', async () => {
		const clock = new ManualClock();
		const before = new ProcessState({ instanceId: 'host-a', clock });
		const first = { data: [savedWorkflow(before, 'wf1', 2, clock)], nextCursor: 'next' };
		const after = new ProcessState({ instanceId: 'host-a', clock });
		const coverage = await loadSavedStates(after, async (cursor) => {
			if (cursor) throw new Error('HTTP 401 unauthorized');
			return first;
		});
		expect(coverage).toMatchObject({ workflowsListed: 1, loaded: 1, complete: false, listingError: 'HTTP 401 unauthorized' });
		expect(await callsByWorkflow(after)).toEqual({ wf1: 2 });
	});

	it('skips snapshots this process wrote itself', async () => {
		const clock = new ManualClock();
		const process = new ProcessState({ instanceId: 'host-a', clock });
		const saved = savedWorkflow(process, 'wf1', 5, clock);
		process.workflow('wf1').rememberSnapshot((saved.staticData.global[STATE_KEY] as { sid: string }).sid, { durable: 0, metrics: 0, at: clock.now() });
		const coverage = await loadSavedStates(process, async () => ({ data: [saved] }));
		expect(coverage).toMatchObject({ workflowsWithState: 1, loaded: 0, complete: true });
	});
});
