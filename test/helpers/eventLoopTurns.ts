/**
 * Counts turns of the event loop's check phase while it runs, so a test can tell whether work gave other
 * callbacks a turn, and which units of work ran in the same turn.
 */
export function eventLoopTurns() {
	let turn = 0;
	let running = true;
	const tick = () => {
		turn++;
		if (running) setImmediate(tick);
	};
	setImmediate(tick);
	return { current: () => turn, stop: () => (running = false) };
}
