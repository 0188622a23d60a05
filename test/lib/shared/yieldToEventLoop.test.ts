import { WorkSlicer, yieldToEventLoop } from '../../../lib/shared/yieldToEventLoop';
import { eventLoopTurns } from '../../helpers/eventLoopTurns';

/** The most units of work that ran in one turn. */
function largestTurn(turns: number[]): number {
	const perTurn = new Map<number, number>();
	for (const turn of turns) perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
	return Math.max(...perTurn.values());
}

describe('WorkSlicer', () => {
	it('yields between slices of a sequential loop', async () => {
		let clock = 0;
		const slicer = new WorkSlicer(10, () => clock);
		const turns = eventLoopTurns();
		const ranIn: number[] = [];
		for (let unit = 0; unit < 50; unit++) {
			await slicer.maybeYield();
			ranIn.push(turns.current());
			clock += 1;
		}
		turns.stop();
		expect(largestTurn(ranIn)).toBeLessThanOrEqual(10);
		expect(new Set(ranIn).size).toBeGreaterThanOrEqual(5);
	});

	it('keeps concurrent tasks to one slice per turn: tasks resuming from a yield check the budget again', async () => {
		let clock = 0;
		const slicer = new WorkSlicer(10, () => clock);
		const turns = eventLoopTurns();
		const ranIn: number[] = [];
		// 200 tasks start at once (as p-limit starts them); each unit of work costs 1 ms of the fake clock.
		await Promise.all(
			Array.from({ length: 200 }, () =>
				slicer.run(async () => {
					ranIn.push(turns.current());
					clock += 1;
					await Promise.resolve();
					return 'done';
				}),
			),
		);
		turns.stop();
		expect(ranIn).toHaveLength(200);
		expect(largestTurn(ranIn)).toBeLessThanOrEqual(10);
		expect(new Set(ranIn).size).toBeGreaterThanOrEqual(20);
	});

	it('returns what the work returns and passes its failure on', async () => {
		const slicer = new WorkSlicer(0);
		await expect(slicer.run(async () => 42)).resolves.toBe(42);
		await expect(slicer.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
	});

	it('with a budget of 0 yields once before each unit and still finishes', async () => {
		const slicer = new WorkSlicer(0);
		const turns = eventLoopTurns();
		const ranIn: number[] = [];
		await Promise.all(Array.from({ length: 5 }, () => slicer.run(async () => void ranIn.push(turns.current()))));
		turns.stop();
		expect(ranIn).toHaveLength(5);
		await yieldToEventLoop();
	});
});
