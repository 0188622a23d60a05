/** Shared output for benchmarks: a readable table, then the figures as one JSON line (always the last line). */
export function printTable(title: string, rows: Array<Record<string, string | number>>): void {
	process.stdout.write(`\n${title}\n`);
	if (rows.length === 0) return;
	const columns = Object.keys(rows[0]);
	const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column]).length)));
	const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index])).join('  ');
	process.stdout.write(`${line(columns)}\n${line(widths.map((width) => '-'.repeat(width)))}\n`);
	for (const row of rows) process.stdout.write(`${line(columns.map((column) => String(row[column])))}\n`);
}

export function printFigures(figures: Record<string, unknown>): void {
	process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Median of several timed runs (ns per operation), after a warm-up run. */
export function measureNsPerOp(runs: number, operations: number, body: () => void): number {
	body();
	const samples: number[] = [];
	for (let run = 0; run < runs; run++) {
		const start = process.hrtime.bigint();
		body();
		samples.push(Number(process.hrtime.bigint() - start) / operations);
	}
	samples.sort((a, b) => a - b);
	return samples[Math.floor(samples.length / 2)];
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
