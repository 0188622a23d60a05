import { CounterSet } from '../../../lib/metrics/counterSet';
import { rollupByComponent, rollupTotal } from '../../../lib/metrics/rollup';

function counters(calls: number, hits = 0): CounterSet {
	const set = new CounterSet();
	for (let index = 0; index < calls; index++) {
		set.record({ nodeType: 't', nodeName: 'n', operation: 'o', durationMs: 10, cache: index < hits ? 'hit' : 'miss' });
	}
	return set;
}

describe('rollups', () => {
	const readings = [
		{ nodeType: 'ai', nodeName: 'Ask', operation: 'chat', counters: counters(3, 1) },
		{ nodeType: 'ai', nodeName: 'Ask', operation: 'embed', counters: counters(2) },
		{ nodeType: 'ai', nodeName: 'Summarise', operation: 'chat', counters: counters(4, 4) },
		{ nodeType: 'batch', nodeName: 'Ask', operation: 'dispatch', counters: counters(1) },
	];

	it('sums series per component, keeping each operation', () => {
		const components = rollupByComponent(readings);
		expect(components.map((component) => [component.nodeType, component.nodeName, component.counters.calls])).toEqual([
			['ai', 'Ask', 5],
			['ai', 'Summarise', 4],
			['batch', 'Ask', 1],
		]);
		expect(components[0].operations.chat.hits).toBe(1);
		expect(components[0].operations.embed.calls).toBe(2);
	});

	it('sums everything into one total', () => {
		const total = rollupTotal(readings);
		expect(total.calls).toBe(10);
		expect(total.hits).toBe(5);
		expect(total.misses).toBe(5);
	});
});
