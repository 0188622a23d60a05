import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';

/** A real `redis-server` for one test file, on 127.0.0.1 and a free port, without persistence. */
export interface RedisTestServer {
	readonly port: number;
	readonly url: string;
	/** Ends the server for good (SIGTERM, resuming it first if paused) and removes its folder. */
	stop(): Promise<void>;
	/** SIGKILL, as a crash: clients see the connection drop. */
	kill(): Promise<void>;
	/** Starts a fresh (empty) server on the same port after `kill`. */
	restart(): Promise<void>;
	/** SIGSTOP: the server keeps its connections open but answers nothing, as a hung server. */
	pause(): void;
	/** SIGCONT after `pause`. */
	resume(): void;
}

const BINARY = 'redis-server';
const START_TIMEOUT_MS = 5000;

function checkInstalled(): void {
	const probe = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
	if (probe.error !== undefined || probe.status !== 0) {
		throw new Error(
			`The Redis state backend tests need a real Redis server, and \`${BINARY}\` could not be run ` +
				`(${probe.error?.message ?? `exit code ${probe.status}`}). Install it, e.g. \`apt-get install redis-server\`.`,
		);
	}
}

/** Whether a server on the port answers PING within `timeoutMs`. */
function answersPing(port: number, timeoutMs = 250): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		let reply = '';
		const done = (ok: boolean) => {
			clearTimeout(timer);
			socket.destroy();
			resolve(ok);
		};
		const timer = setTimeout(() => done(false), timeoutMs);
		socket.once('error', () => done(false));
		socket.on('data', (chunk) => {
			reply += chunk.toString('utf8');
			if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
		});
		socket.write('*1\r\n$4\r\nPING\r\n');
	});
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

const running = new Set<ChildProcess>();
// A test run that dies early must not leave servers behind.
process.once('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

export async function startRedisServer(): Promise<RedisTestServer> {
	checkInstalled();
	const port = await freePort();
	const folder = mkdtempSync(join(tmpdir(), 'perf-optimizer-redis-'));
	let child: ChildProcess | undefined;

	const launch = async (): Promise<void> => {
		const started = spawn(
			BINARY,
			['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', folder, '--loglevel', 'warning'],
			{ stdio: ['ignore', 'pipe', 'pipe'] },
		);
		child = started;
		running.add(started);
		let output = '';
		const keep = (chunk: Buffer) => {
			output = (output + chunk.toString('utf8')).slice(-4000);
		};
		started.stdout?.on('data', keep);
		started.stderr?.on('data', keep);
		started.once('exit', () => running.delete(started));
		const deadline = Date.now() + START_TIMEOUT_MS;
		while (Date.now() < deadline) {
			if (started.exitCode !== null || started.signalCode !== null) break;
			if (await answersPing(port)) return;
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		started.kill('SIGKILL');
		throw new Error(`redis-server did not start on port ${port}:\n${output}`);
	};

	const signal = (name: NodeJS.Signals) => {
		if (child === undefined || child.exitCode !== null || child.signalCode !== null) throw new Error('redis-server is not running');
		child.kill(name);
	};

	await launch();
	return {
		port,
		url: `redis://127.0.0.1:${port}`,
		async stop() {
			if (child !== undefined && child.exitCode === null && child.signalCode === null) {
				child.kill('SIGCONT');
				child.kill('SIGTERM');
				await exited(child);
			}
			rmSync(folder, { recursive: true, force: true });
		},
		async kill() {
			if (child === undefined) return;
			child.kill('SIGKILL');
			await exited(child);
		},
		async restart() {
			if (child !== undefined && child.exitCode === null && child.signalCode === null) {
				throw new Error('redis-server is still running; kill it first');
			}
			await launch();
		},
		pause: () => signal('SIGSTOP'),
		resume: () => signal('SIGCONT'),
	};
}
