import { ProcessState, processSingleton, processSingletonFamily } from '../../../lib/state';

describe('processSingleton', () => {
	it('gives each process state one object, created on first use', () => {
		let created = 0;
		const seen = processSingleton('test:seen', () => {
			created++;
			return new Set<string>();
		});
		const here = new ProcessState({ instanceId: 'host-a' });
		const there = new ProcessState({ instanceId: 'host-b' });
		expect(created).toBe(0);
		seen(here).add('x');
		expect(seen(here).has('x')).toBe(true);
		expect(seen(there).has('x')).toBe(false);
		expect(created).toBe(2);
	});

	it('is dropped and closed with the process state, as at a restart', async () => {
		const closed: string[] = [];
		const pool = processSingleton('test:pool', (process) => ({ owner: process.instanceId, close: () => closed.push(process.instanceId) }));
		const process = new ProcessState({ instanceId: 'host-a' });
		const before = pool(process);
		await process.close();
		expect(closed).toEqual(['host-a']);
		expect(pool(process)).not.toBe(before);
	});
});

describe('processSingletonFamily', () => {
	it('keeps one member per key, and the first caller of a key creates it', () => {
		const pools = processSingletonFamily(
			'test:pools',
			(settings: { timeoutMs: number; label: string }) => String(settings.timeoutMs),
			(settings) => ({ ...settings }),
		);
		const process = new ProcessState({ instanceId: 'host-a' });
		const first = pools(process, { timeoutMs: 100, label: 'first' });
		expect(pools(process, { timeoutMs: 100, label: 'second' })).toBe(first);
		expect(first.label).toBe('first');
		expect(pools(process, { timeoutMs: 200, label: 'other' })).not.toBe(first);
	});
});
