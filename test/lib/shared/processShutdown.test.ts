import { processShutdownSignal } from '../../../lib/shared/processShutdown';

describe('processShutdownSignal', () => {
	it('aborts when the process is asked to stop, and removes its listeners when disposed', () => {
		const before = { term: process.listenerCount('SIGTERM'), int: process.listenerCount('SIGINT') };
		const shutdown = processShutdownSignal();
		expect(process.listenerCount('SIGTERM')).toBe(before.term + 1);
		// Call our own listener rather than emitting the signal: other listeners (the test runner's) must not run.
		const listener = process.listeners('SIGTERM').at(-1) as (signal: NodeJS.Signals) => void;
		expect(shutdown.signal.aborted).toBe(false);
		listener('SIGTERM');
		expect(shutdown.signal.aborted).toBe(true);
		expect((shutdown.signal.reason as Error).message).toBe('the process received SIGTERM');
		shutdown.dispose();
		expect({ term: process.listenerCount('SIGTERM'), int: process.listenerCount('SIGINT') }).toEqual(before);
	});
});
