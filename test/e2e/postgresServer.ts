import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/freePort';

/**
 * A throwaway PostgreSQL (Debian's package) on 127.0.0.1 and a free port, trust auth, for n8n in queue mode:
 * n8n does not support several processes on one SQLite file (they fail with SQLITE_BUSY under load).
 */
export interface PostgresTestServer {
	readonly port: number;
	/** n8n's environment for this database. */
	readonly n8nEnv: Record<string, string>;
	stop(): Promise<void>;
}

const DATABASE = 'n8n';

function binaries(): string {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
	const folder = versions.map((version) => join(root, version, 'bin')).find((bin) => existsSync(join(bin, 'initdb')));
	if (!folder) throw new Error('Queue mode tests need PostgreSQL: install it with `apt-get install postgresql`');
	return folder;
}

/** PostgreSQL refuses to run as root; as root, the cluster runs as the package's `postgres` user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
	return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export async function startPostgres(): Promise<PostgresTestServer> {
	const bin = binaries();
	const port = await freePort();
	const folder = mkdtempSync(join(tmpdir(), 'perf-optimizer-pg-'));
	chmodSync(folder, 0o777);
	const data = join(folder, 'data');
	const [initCommand, initArgs] = asServerUser(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
	const init = spawnSync(initCommand, initArgs, { encoding: 'utf8' });
	if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);

	const [command, args] = asServerUser(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', folder, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200']);
	const server: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	server.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4000)));
	const stop = async () => {
		if (server.exitCode === null && server.signalCode === null) {
			const exited = new Promise<void>((done) => server.once('exit', () => done()));
			// pg_ctl, not a signal: runuser does not pass signals on to the server.
			const [stopCommand, stopArgs] = asServerUser(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']);
			spawnSync(stopCommand, stopArgs, { encoding: 'utf8' });
			await exited;
		}
		rmSync(folder, { recursive: true, force: true });
	};

	const deadline = Date.now() + 30_000;
	const psql = (sql: string) => spawnSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-tAc', sql], { encoding: 'utf8' });
	while (psql('select 1').status !== 0) {
		if (server.exitCode !== null || Date.now() > deadline) {
			await stop();
			throw new Error(`PostgreSQL did not start on port ${port}:\n${output}`);
		}
		await new Promise((wait) => setTimeout(wait, 200));
	}
	const created = psql(`create database ${DATABASE}`);
	if (created.status !== 0) {
		await stop();
		throw new Error(`creating the database failed: ${created.stderr}`);
	}
	return {
		port,
		n8nEnv: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: DATABASE,
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
		},
		stop,
	};
}
