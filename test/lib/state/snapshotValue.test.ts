import { buildSnapshot, mergeSnapshot, parseSnapshot, WorkflowState } from '../../../lib/state';
import { ManualClock } from '../../../lib/shared/clock';
import { silentLogger } from '../../../lib/shared/logger';

const MINUTE = 60_000;
const answer = (index: number) => ({ text: `answer number ${index} `.repeat(8) });

function keptKeys(state: WorkflowState, maxBytes: number, clock: ManualClock): string[] {
	const { snapshot } = buildSnapshot(state, maxBytes, clock);
	return Object.values(snapshot.c).flatMap((entries) => entries.map(([key]) => key));
}

/** 20 popular prompts asked long ago, then 400 one-off prompts, each newer than every popular one. */
function popularAndRecent(clock: ManualClock): WorkflowState {
	const state = new WorkflowState('wf', 'host-a', clock, silentLogger);
	const cache = state.cache('ai:Ask', { maxEntries: 10_000, ttlMs: 0 });
	for (let index = 0; index < 20; index++) {
		cache.set(`popular-${index}`, answer(index));
		for (let hit = 0; hit < 30 + index; hit++) cache.get(`popular-${index}`);
	}
	clock.advance(10 * MINUTE);
	for (let index = 0; index < 400; index++) {
		clock.advance(1000);
		cache.set(`once-${index}`, answer(index));
		if (index % 3 === 0) cache.get(`once-${index}`);
	}
	return state;
}

describe('buildSnapshot keeps the cache entries worth most', () => {
	it('keeps the most asked prompts over more recent one-off ones', () => {
		const clock = new ManualClock();
		const kept = keptKeys(popularAndRecent(clock), 16 * 1024, clock);
		expect(kept.length).toBeLessThan(100);
		expect(kept.slice(0, 20).sort()).toEqual(Array.from({ length: 20 }, (_, index) => `popular-${index}`).sort());
		// Among equals (one hit each), the most recently used come first.
		const onceWithHit = kept.filter((key) => key.startsWith('once-'));
		expect(onceWithHit[0]).toBe('once-399');
	});

	it('ranks by money saved before hits', () => {
		const clock = new ManualClock();
		const state = new WorkflowState('wf', 'host-a', clock, silentLogger);
		const cache = state.cache('ai:Ask', { maxEntries: 100, ttlMs: 0 });
		cache.set('cheap-but-frequent', 'a', { worthUsd: 0.0001 });
		cache.set('dear', 'b', { worthUsd: 0.02 });
		cache.set('unpriced', 'c');
		for (let hit = 0; hit < 40; hit++) cache.get('cheap-but-frequent');
		for (let hit = 0; hit < 3; hit++) cache.get('dear');
		for (let hit = 0; hit < 50; hit++) cache.get('unpriced');
		expect(keptKeys(state, 64 * 1024, clock)).toEqual(['dear', 'cheap-but-frequent', 'unpriced']);
	});

	it('keeps the ranking across a restart: hits travel with the entries', () => {
		const clock = new ManualClock();
		const before = popularAndRecent(clock);
		const { stored } = buildSnapshot(before, 16 * 1024, clock);
		const after = new WorkflowState('wf', 'host-a', clock, silentLogger);
		mergeSnapshot(after, parseSnapshot(JSON.parse(JSON.stringify(stored))));
		const cache = after.cache('ai:Ask', { maxEntries: 10_000, ttlMs: 0 });
		for (let index = 0; index < 200; index++) {
			clock.advance(1000);
			cache.set(`new-${index}`, answer(index));
			cache.get(`new-${index}`);
		}
		const kept = keptKeys(after, 16 * 1024, clock);
		expect(kept.slice(0, 20).every((key) => key.startsWith('popular-'))).toBe(true);
	});

	it('gives answers the same room however much the metrics hold', () => {
		const clock = new ManualClock();
		const quiet = popularAndRecent(clock);
		const busy = popularAndRecent(clock);
		for (let minute = 0; minute < 24 * 60; minute++) {
			for (let series = 0; series < 6; series++) {
				busy.metrics.record({ nodeType: 'test.node', nodeName: `Node ${series}`, operation: 'chat', durationMs: 1 + (minute % 300), cache: 'hit' });
			}
			clock.advance(MINUTE);
		}
		const quietBuild = buildSnapshot(quiet, 64 * 1024, clock);
		const busyBuild = buildSnapshot(busy, 64 * 1024, clock);
		expect(busyBuild.droppedBuckets).toBeGreaterThan(0);
		expect(busyBuild.bytes).toBeLessThanOrEqual(64 * 1024);
		const count = (build: typeof quietBuild) => Object.values(build.snapshot.c).reduce((sum, entries) => sum + entries.length, 0);
		expect(count(busyBuild)).toBe(count(quietBuild));
	});

	it('refuses a cache entry whose hit count is not a count', () => {
		const clock = new ManualClock();
		const bad = { v: 1, sid: 's', by: 'b', at: clock.now(), m: { s: [] }, c: { 'ai:Ask': [['k', 'v', 1, 0, 'many']] } };
		expect(() => parseSnapshot(bad)).toThrow('entry 0 is malformed');
	});
});
