import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { freePort } from '../helpers/freePort';
import { describeN8nFailure } from '../helpers/n8nLogCause';

const ROOT = resolve(__dirname, '..', '..');

/** The n8n version the suite runs against unless N8N_VERSION names another (`npm run test:e2e:matrix` does). */
export const PINNED_N8N_VERSION = '2.40.7';

/** The n8n version this run targets: `N8N_VERSION`, else the pinned one. */
export function targetN8nVersion(): string {
	return process.env.N8N_VERSION || PINNED_N8N_VERSION;
}

export interface ProvisionedN8n {
	/** Folder of the Node that this n8n runs on (Node 24 for the pinned version; the name predates other majors). */
	node24: string;
	n8nBin: string;
	n8nVersion: string;
	/** e.g. v22.22.0 */
	nodeVersion: string;
}

/**
 * Runs scripts/e2e/provision.sh (n8n and the Node major it declares, cached per version) and returns its paths.
 * @param n8nVersion exact version; default `N8N_VERSION` from the environment, else 2.40.7
 */
export function provision(n8nVersion: string = targetN8nVersion()): ProvisionedN8n {
	const result = spawnSync('bash', [join(ROOT, 'scripts', 'e2e', 'provision.sh')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		env: { ...process.env, N8N_VERSION: n8nVersion },
	});
	if (result.status !== 0) throw new Error(`provisioning n8n ${n8nVersion} and its Node failed (exit ${result.status}); its [provision] lines above say why`);
	const values = Object.fromEntries(
		result.stdout
			.trim()
			.split('\n')
			.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
	);
	return { node24: values.NODE24, n8nBin: values.N8N_BIN, n8nVersion: values.N8N_VERSION, nodeVersion: values.NODE_VERSION };
}

/**
 * The version of a module that this n8n install ships (resolved the way n8n's own code resolves it), or undefined:
 * what a test checks to know whether a feature built on that module can work here.
 */
export function shippedModuleVersion(n8nBin: string, name: string): string | undefined {
	// n8nBin is <tree>/node_modules/.bin/n8n
	const fromN8n = createRequire(join(dirname(dirname(n8nBin)), 'n8n', 'package.json'));
	try {
		return JSON.parse(readFileSync(fromN8n.resolve(`${name}/package.json`), 'utf8')).version;
	} catch {
		return undefined;
	}
}

/** Builds and packs this package; returns the tarball path. */
export function packPackage(): string {
	const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
	if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
	const destination = mkdtempSync(join(tmpdir(), 'perf-optimizer-pack-'));
	const pack = spawnSync('npm', ['pack', '--pack-destination', destination], { cwd: ROOT, encoding: 'utf8' });
	if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
	return join(destination, pack.stdout.trim().split('\n').pop() as string);
}

/** The environment without what the test runner adds for itself. */
function hostEnvironment(): NodeJS.ProcessEnv {
	const environment = { ...process.env };
	for (const name of Object.keys(environment)) if (name.startsWith('JEST_') || name === 'N8N_LOG_LEVEL') delete environment[name];
	return environment;
}

export interface N8nInstance {
	readonly baseUrl: string;
	readonly userFolder: string;
	readonly logFile: string;
	/** REST call with the owner's session cookie. */
	rest<T = any>(method: string, path: string, body?: unknown): Promise<T>;
	/** GET of any path with the owner's session cookie (e.g. /types/nodes.json), parsed as JSON. */
	getJson<T = any>(path: string): Promise<T>;
	stop(): Promise<void>;
	restart(): Promise<void>;
	/** CPU time (user + system, ms) the main n8n process has used so far, from /proc: what a benchmark's runs cost n8n. */
	cpuMs(): number;
}

/** The owner account every started n8n gets; the demo prints it as the login. */
export const DEMO_OWNER = { email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Perf-Optimizer-1' };

/**
 * Starts n8n on free loopback ports with a fresh user folder in which our packed package is installed BEFORE the
 * first start (n8n never retries a publication that failed because a node type was missing), waits for
 * readiness and sets up the owner.
 */
export interface StartN8nOptions {
	node24: string;
	n8nBin: string;
	/** Our packed package, installed before the first start; without it n8n starts with its own nodes only. */
	tarball?: string;
	userFolder?: string;
	/** @default a free port */
	port?: number;
	/** Extra environment for n8n (and its workers), e.g. queue mode settings. */
	env?: Record<string, string>;
	/** `n8n worker` processes to start beside the main one (queue mode; set EXECUTIONS_MODE=queue in `env`). @default 0 */
	workers?: number;
}

export async function startN8n(options: StartN8nOptions): Promise<N8nInstance> {
	const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'perf-optimizer-n8n-'));
	if (options.tarball) installPackage(userFolder, options.tarball, options.node24);

	const port = options.port ?? (await freePort());
	const brokerPort = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const logFile = join(userFolder, 'n8n.log');
	let child: ChildProcess | undefined;
	let cookie = '';

	const workerBrokerPorts = await Promise.all(Array.from({ length: options.workers ?? 0 }, () => freePort()));
	let workers: ChildProcess[] = [];

	const spawnN8n = (command: string[], file: string, ownBrokerPort: number): ChildProcess => {
		const log = createWriteStream(file, { flags: 'a' });
		const spawned = spawn(options.n8nBin, command, {
			env: {
				...hostEnvironment(),
				// Jest sets NODE_ENV=test, with which n8n refuses to start.
				NODE_ENV: 'production',
				PATH: `${options.node24}/bin:${process.env.PATH}`,
				N8N_USER_FOLDER: userFolder,
				N8N_PORT: String(port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_RUNNERS_BROKER_PORT: String(ownBrokerPort),
				N8N_DIAGNOSTICS_ENABLED: 'false',
				N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
				N8N_PERSONALIZATION_ENABLED: 'false',
				N8N_HIRING_BANNER_ENABLED: 'false',
				N8N_SECURE_COOKIE: 'false',
				N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
				N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
				N8N_LOG_LEVEL: 'info',
				N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '500',
				N8N_RESTRICT_FILE_ACCESS_TO: join(userFolder, 'files'),
				NODE_OPTIONS: '',
				...options.env,
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		spawned.stdout?.pipe(log);
		spawned.stderr?.pipe(log);
		return spawned;
	};

	const start = async () => {
		child = spawnN8n(['start'], logFile, brokerPort);
		workers = workerBrokerPorts.map((workerPort, index) => spawnN8n(['worker', '--concurrency=10'], join(userFolder, `worker-${index + 1}.log`), workerPort));
		const deadline = Date.now() + 120_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw await failure(`n8n exited with code ${child.exitCode} before it was ready.`, logFile);
			const exitedWorker = workers.findIndex((worker) => worker.exitCode !== null);
			if (exitedWorker >= 0) throw await failure(`n8n worker ${exitedWorker + 1} exited before n8n was ready.`, join(userFolder, `worker-${exitedWorker + 1}.log`));
			try {
				// n8n 1.x reports ready while migrations still run, before its REST routes exist: wait for those too.
				if ((await fetch(`${baseUrl}/healthz/readiness`)).ok && (await fetch(`${baseUrl}/rest/settings`)).ok) return;
			} catch {
				// not listening yet
			}
			await new Promise((wait) => setTimeout(wait, 250));
		}
		throw await failure('n8n was not ready within 120 s.', logFile);
	};

	const rest = async (method: string, path: string, body?: unknown) => {
		const response = await fetch(`${baseUrl}/rest${path}`, {
			method,
			headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw Object.assign(new Error(`${method} /rest${path} -> ${response.status}: ${text.slice(0, 500)}`), { status: response.status });
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) cookie = setCookie.split(';')[0];
		return text ? JSON.parse(text) : undefined;
	};

	const stopProcess = async (running: ChildProcess | undefined) => {
		if (!running || running.exitCode !== null) return;
		await new Promise<void>((done) => {
			const timer = setTimeout(() => running.kill('SIGKILL'), 15_000);
			running.once('exit', () => {
				clearTimeout(timer);
				done();
			});
			running.kill('SIGTERM');
		});
	};

	const stop = async () => {
		const running = [child, ...workers];
		child = undefined;
		workers = [];
		await Promise.all(running.map(stopProcess));
	};

	try {
		await start();
		await rest('POST', '/owner/setup', DEMO_OWNER);
	} catch (error) {
		// Nothing started here outlives a failed start.
		await stop();
		throw error;
	}
	return {
		baseUrl,
		userFolder,
		logFile,
		rest,
		getJson: async (path: string) => {
			const response = await fetch(`${baseUrl}${path}`, { headers: cookie ? { cookie } : {} });
			if (!response.ok) throw new Error(`GET ${path} -> ${response.status}`);
			return (await response.json()) as never;
		},
		stop,
		cpuMs: () => processCpuMs(child?.pid),
		restart: async () => {
			await stop();
			await start();
			await rest('POST', '/login', { emailOrLdapLoginId: DEMO_OWNER.email, password: DEMO_OWNER.password });
		},
	};
}

/** utime + stime of a process in ms (Linux: fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 10 ms). */
function processCpuMs(pid: number | undefined): number {
	if (pid === undefined) throw new Error('n8n is not running');
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Installs the packed package into the user folder's nodes/ the way n8n's own installer lays it out. */
function installPackage(userFolder: string, tarball: string, node24: string): void {
	const nodesFolder = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesFolder, { recursive: true });
	writeFileSync(join(nodesFolder, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
	const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--omit=peer', '--omit=dev', tarball], {
		cwd: nodesFolder,
		encoding: 'utf8',
		env: { ...process.env, PATH: `${node24}/bin:${process.env.PATH}` },
	});
	if (install.status !== 0) throw new Error(`installing the package into n8n failed: ${install.stderr}`);
}

/** An error that names why n8n did not come up, from its log. */
async function failure(what: string, logFile: string): Promise<Error> {
	// The log is piped through a stream: give its last lines a moment to land.
	await new Promise((settle) => setTimeout(settle, 500));
	let log = '';
	try {
		log = readFileSync(logFile, 'utf8');
	} catch {
		// no log written yet
	}
	return new Error(describeN8nFailure(what, log, logFile));
}

/**
 * Whether a REST call failed because this n8n has no such route (an API of a newer or older release): Express's own
 * 404 page ("Cannot GET ..."), unlike n8n's JSON 404 for an unknown workflow.
 */
function isMissingRoute(error: unknown): boolean {
	return (error as { status?: number })?.status === 404 && /Cannot (GET|POST|PATCH) /.test(String((error as Error).message));
}

/** Whether this n8n publishes workflows through its publication service (2.x), with a /publication-status route. */
export async function hasPublicationService(n8n: N8nInstance): Promise<boolean> {
	try {
		await n8n.rest('GET', '/workflows/none/publication-status');
		return true;
	} catch (error) {
		return !isMissingRoute(error);
	}
}

/**
 * 'published' once the workflow's production triggers are live. n8n 2.x with the publication service reports it at
 * /publication-status (publication is asynchronous); older releases have no such route and activate synchronously,
 * so there the workflow's `active` flag says it.
 */
export async function publicationStatus(n8n: N8nInstance, id: string): Promise<string> {
	try {
		return (await n8n.rest('GET', `/workflows/${id}/publication-status`)).data?.status;
	} catch (error) {
		if (!isMissingRoute(error)) throw error;
		return (await n8n.rest('GET', `/workflows/${id}`)).data?.active === true ? 'published' : 'not_published';
	}
}

/** Creates a workflow over REST, publishes it and waits until n8n reports it published; returns its id. */
export async function publishWorkflow(n8n: N8nInstance, workflow: { name: string; nodes: unknown[]; connections: unknown; settings?: unknown }): Promise<string> {
	// n8n 1.x requires `active` on creation; 2.x drops the field (its DTO strips unknown keys).
	const created = await n8n.rest('POST', '/workflows', { name: workflow.name, nodes: workflow.nodes, connections: workflow.connections, settings: workflow.settings ?? {}, active: false });
	const { id, versionId } = created.data;
	try {
		await n8n.rest('POST', `/workflows/${id}/activate`, { versionId });
	} catch (error) {
		// n8n without the publication service (1.x) activates only workflows with a trigger of their own, and calls a
		// sub-workflow (Execute Workflow Trigger only) as saved: there it is ready now.
		if (!(await hasPublicationService(n8n)) && /has no node to start the workflow/.test(String((error as Error).message))) return id;
		throw error;
	}
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		if ((await publicationStatus(n8n, id)) === 'published') return id;
		await new Promise((wait) => setTimeout(wait, 200));
	}
	throw new Error(`workflow "${workflow.name}" was not published within 30 s`);
}

/** Publishes an example workflow from examples/ (after `adapt`). */
export async function publishExample(n8n: N8nInstance, file: string, adapt: (workflow: any) => any = (workflow) => workflow): Promise<string> {
	return await publishWorkflow(n8n, adapt(JSON.parse(readFileSync(join(ROOT, 'examples', file), 'utf8'))));
}
