/**
 * The first run on a new machine: provisioning started the way `npm start` and `npm run test:e2e` start it (through
 * npm, so this repository's .npmrc reaches it as npm_config_ignore_scripts=true) into an empty cache, ending with a
 * working n8n; then a cache whose sqlite3 binding was lost is detected and repaired on the next run.
 *
 * It installs n8n from scratch (minutes), so it runs only when PERF_OPTIMIZER_FIRST_RUN=1: `npm run test:first-run`,
 * which `.ci/run` calls once per run so that a warm cache can never hide a broken first run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startN8n } from './n8nInstance';

const ROOT = resolve(__dirname, '..', '..');
const enabled = process.env.PERF_OPTIMIZER_FIRST_RUN === '1';

interface ProvisionRun {
	status: number | null;
	stderr: string;
	node24: string;
	n8nBin: string;
}

/** `npm run provision` from the repository root, as `npm start` reaches it, into the given cache. */
function provisionThroughNpm(cache: string): ProvisionRun {
	const environment: NodeJS.ProcessEnv = { ...process.env, PERF_OPTIMIZER_CACHE: cache };
	// Whatever npm config this process inherited is dropped, so the repository's .npmrc is what npm passes on.
	for (const name of Object.keys(environment)) if (/^npm_/i.test(name)) delete environment[name];
	const run = spawnSync('npm', ['run', '--silent', 'provision'], { cwd: ROOT, env: environment, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	const values = Object.fromEntries(
		run.stdout
			.trim()
			.split('\n')
			.filter((line) => /^[A-Z0-9_]+=/.test(line))
			.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
	);
	return { status: run.status, stderr: run.stderr, node24: values.NODE24, n8nBin: values.N8N_BIN };
}

function provisionLines(stderr: string): string[] {
	return stderr.split('\n').filter((line) => line.startsWith('[provision]'));
}

function findFile(folder: string, name: string): string | undefined {
	for (const entry of readdirSync(folder)) {
		const path = join(folder, entry);
		if (entry === name) return path;
		if (statSync(path).isDirectory()) {
			const found = findFile(path, name);
			if (found) return found;
		}
	}
	return undefined;
}

(enabled ? describe : describe.skip)('first run on an empty cache', () => {
	const cache = mkdtempSync(join(tmpdir(), 'perf-optimizer-first-run-'));
	let first: ProvisionRun;

	// A cold npm cache downloads all of n8n here: allow for it.
	beforeAll(() => {
		first = provisionThroughNpm(cache);
	}, 1_800_000);
	afterAll(() => rmSync(cache, { recursive: true, force: true }));

	it('provisions through npm with the repository .npmrc and proves n8n works', async () => {
		expect(spawnSync('npm', ['config', 'get', 'ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim()).toBe('true');
		expect({ status: first.status, lines: provisionLines(first.stderr) }).toMatchObject({ status: 0 });
		expect(first.n8nBin.startsWith(cache)).toBe(true);
		expect(provisionLines(first.stderr).pop()).toMatch(/n8n@2\.40\.7 is ready .*sqlite3 opens a database/);
		// The binding the first run on a new machine never built.
		expect(findFile(join(cache, 'n8n-2.40.7', 'node_modules', 'sqlite3'), 'node_sqlite3.node')).toBeDefined();

		// The same proof n8n itself makes: it starts on a fresh database and answers.
		const n8n = await startN8n({ node24: first.node24, n8nBin: first.n8nBin });
		try {
			expect((await fetch(`${n8n.baseUrl}/healthz/readiness`)).status).toBe(200);
		} finally {
			await n8n.stop();
		}
	});

	it('a cache that lost its sqlite3 binding makes n8n fail with the cause named, and the next run repairs it', async () => {
		const binding = findFile(join(cache, 'n8n-2.40.7', 'node_modules', 'sqlite3'), 'node_sqlite3.node');
		expect(binding).toBeDefined();
		unlinkSync(binding as string);

		// What the user sees when the demo or the suite starts such an n8n.
		const failed = await startN8n({ node24: first.node24, n8nBin: first.n8nBin }).then(
			() => new Error('n8n started without its sqlite3 binding'),
			(error: Error) => error,
		);
		expect(failed.message).toMatch(/n8n exited with code \d+ before it was ready/);
		expect(failed.message).toMatch(/SQLite package has not been found/);
		expect(failed.message).toMatch(/What to do: .*npm run provision/);

		const second = provisionThroughNpm(cache);
		expect(second.status).toBe(0);
		const lines = provisionLines(second.stderr);
		expect(lines[0]).toMatch(/the cached n8n in .* is broken \(Node 24 cannot load n8n's sqlite3 binding/);
		expect(lines.some((line) => /building sqlite3/.test(line))).toBe(true);
		expect(lines.some((line) => /installing n8n@/.test(line))).toBe(false);
		expect(lines.pop()).toMatch(/is ready/);

		const third = provisionThroughNpm(cache);
		expect({ status: third.status, lines: provisionLines(third.stderr) }).toEqual({ status: 0, lines: [] });
	});
});
