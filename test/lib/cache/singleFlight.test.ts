import { SingleFlight } from '../../../lib/cache/singleFlight';

function deferred<T>() {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

describe('SingleFlight', () => {
	it('coalesces concurrent identical calls into one run', async () => {
		const flight = new SingleFlight<string>();
		const gate = deferred<string>();
		let runs = 0;
		const work = () => {
			runs++;
			return gate.promise;
		};
		const calls = Array.from({ length: 10 }, () => flight.run('k', work));
		gate.resolve('answer');
		const results = await Promise.all(calls);
		expect(runs).toBe(1);
		expect(results.filter((result) => !result.shared)).toHaveLength(1);
		expect(results.every((result) => result.value === 'answer')).toBe(true);
		expect(flight.size).toBe(0);
	});

	it('shares a rejection with the waiters but not with later callers', async () => {
		const flight = new SingleFlight<string>();
		const gate = deferred<string>();
		const first = flight.run('k', () => gate.promise);
		const second = flight.run('k', async () => 'never');
		gate.reject(new Error('upstream 500'));
		await expect(first).rejects.toThrow('upstream 500');
		await expect(second).rejects.toThrow('upstream 500');
		await expect(flight.run('k', async () => 'fresh')).resolves.toEqual({ value: 'fresh', shared: false });
	});

	it('keeps different keys apart', async () => {
		const flight = new SingleFlight<number>();
		const [a, b] = await Promise.all([flight.run('a', async () => 1), flight.run('b', async () => 2)]);
		expect([a.value, b.value]).toEqual([1, 2]);
	});
});
