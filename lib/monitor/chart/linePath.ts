import { coordinate } from './svgText';

export interface LineGeometry {
	/** Path data with one `M` per unbroken run of two or more values; empty when there is none. */
	d: string;
	/** Values with no neighbour on either side: a path run of one point draws nothing, so they need a dot. */
	isolated: Array<{ x: number; y: number }>;
}

/**
 * A polyline through the values, broken where a value is `null` so that a missing bucket shows as a gap
 * instead of a line drawn across it.
 */
export function linePath(xs: readonly number[], ys: ReadonlyArray<number | null>): LineGeometry {
	const commands: string[] = [];
	const isolated: LineGeometry['isolated'] = [];
	let run: Array<{ x: number; y: number }> = [];
	const endRun = () => {
		if (run.length === 1) isolated.push(run[0]);
		else run.forEach((at, index) => commands.push(`${index === 0 ? 'M' : 'L'}${coordinate(at.x)} ${coordinate(at.y)}`));
		run = [];
	};
	ys.forEach((y, index) => {
		if (y === null) endRun();
		else run.push({ x: xs[index], y });
	});
	endRun();
	return { d: commands.join(' '), isolated };
}
