import { buildSnapshot, mergeSnapshot, parseSnapshot, WorkflowState } from '../../../lib/state';
import { ManualClock } from '../../../lib/shared/clock';
import { silentLogger } from '../../../lib/shared/logger';

describe('buildSnapshot with an answer larger than the snapshot', () => {
	it('drops the entry without serialising it, and keeps what fits from the other caches', () => {
		const clock = new ManualClock(1_700_000_000_000);
		const state = new WorkflowState('wf', 'instance', clock, silentLogger);
		let serialised = 0;
		// A value whose serialisation is observable: building the snapshot must not pay for it.
		const huge = { toJSON: () => ((serialised++, 'x'.repeat(1024))) };
		state.cache('ai:big').absorb('big', { value: huge as never, storedAt: clock.now(), expiresAt: 0, persist: true, size: 10_000_000 });
		state.cache('ai:small').set('small', 'a short answer');

		const build = buildSnapshot(state, 64 * 1024, clock);

		expect(serialised).toBe(0);
		expect(build.droppedCacheEntries).toBe(1);
		expect(build.snapshot.c['ai:small']).toEqual([['small', 'a short answer', clock.now(), expect.any(Number)]]);
		const restored = new WorkflowState('wf', 'other', clock, silentLogger);
		expect(mergeSnapshot(restored, parseSnapshot(JSON.parse(JSON.stringify(build.stored)))).cacheEntriesTaken).toBe(1);
	});

	it('keeps the older answers of a cache whose most recent answer is too large for the snapshot', () => {
		const clock = new ManualClock(1_700_000_000_000);
		const state = new WorkflowState('wf', 'instance', clock, silentLogger);
		const cache = state.cache('ai:workflow');
		for (let index = 0; index < 3; index++) cache.set(`older${index}`, `answer ${index}`);
		cache.set('newest', 'A'.repeat(200_000));

		const build = buildSnapshot(state, 64 * 1024, clock);

		expect(build.droppedCacheEntries).toBe(1);
		expect(build.snapshot.c['ai:workflow'].map(([key]) => key)).toEqual(['older2', 'older1', 'older0']);
	});
});
