import { RecordStore } from '../../../lib/state/recordStore';
import { ManualClock } from '../../../lib/shared/clock';

describe('RecordStore', () => {
	it('keeps the later write per key when copies merge, deletions included', () => {
		const clock = new ManualClock();
		const here = new RecordStore(clock);
		const there = new RecordStore(clock);
		here.set('settings', { slo: 0.99 });
		clock.advance(10);
		there.set('settings', { slo: 0.995 });
		there.set('other', 1);
		here.merge(JSON.parse(JSON.stringify(there.toJSON())));
		expect(here.get('settings')?.value).toEqual({ slo: 0.995 });
		clock.advance(10);
		here.delete('other');
		there.merge(JSON.parse(JSON.stringify(here.toJSON())));
		expect(there.get('other')).toBeUndefined();
		// A stale copy from before the deletion cannot bring the record back.
		there.merge({ other: [1, clock.now() - 15] });
		expect(there.get('other')).toBeUndefined();
	});

	it('orders two writes within one millisecond', () => {
		const clock = new ManualClock();
		const store = new RecordStore(clock);
		store.set('k', 'first');
		store.set('k', 'second');
		const copy = new RecordStore(clock);
		copy.merge({ k: ['first', clock.now()] });
		copy.merge(JSON.parse(JSON.stringify(store.toJSON())));
		expect(copy.get('k')?.value).toBe('second');
	});

	it('lists live records by prefix and forgets old tombstones', () => {
		const clock = new ManualClock();
		const store = new RecordStore(clock);
		store.set('template:b', 2);
		store.set('template:a', 1);
		store.set('monitor:x', 3);
		store.delete('template:b');
		expect(store.list('template:').map((entry) => entry.key)).toEqual(['template:a']);
		clock.advance(31 * 24 * 3_600_000);
		expect(Object.keys(store.toJSON()).sort()).toEqual(['monitor:x', 'template:a']);
	});

	it('refuses malformed input', () => {
		const store = new RecordStore(new ManualClock());
		expect(() => store.merge({ k: 'nope' })).toThrow('record "k" is malformed');
		expect(() => store.merge([1])).toThrow('not an object');
	});
});
