#!/usr/bin/env node
// `npm run bench` runs every benchmark in bench/; `npm run bench -- <name>` runs bench/<name>.bench.ts.
// Each benchmark runs in its own process (a clean heap) through ts-node, transpile-only.
const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const benchDir = join(__dirname, '..', 'bench');
const available = readdirSync(benchDir)
	.filter((file) => file.endsWith('.bench.ts'))
	.map((file) => file.replace(/\.bench\.ts$/, ''))
	.sort();
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
	console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${available.join(', ')}`);
	process.exit(2);
}
let failed = false;
for (const name of requested.length > 0 ? requested : available) {
	const result = spawnSync(
		process.execPath,
		['--expose-gc', '-r', 'ts-node/register/transpile-only', join(benchDir, `${name}.bench.ts`)],
		{ stdio: 'inherit', env: {
			...process.env,
			TS_NODE_PROJECT: join(__dirname, '..', 'tsconfig.test.json'),
			// 'X.node' would otherwise resolve to the codex file X.node.json before X.node.ts.
			TS_NODE_PREFER_TS_EXTS: 'true',
		} },
	);
	if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
