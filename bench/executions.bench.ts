/**
 * Analyze Executions over 5,000 saved executions of a 12-node workflow, served by the executions API stand-in
 * in a process of its own (so its memory is not counted here), pages of 50 (the default) with item data, as n8n sends them:
 * - the full analysis, run as a Perf Monitor node through n8n-core's WorkflowExecute (every node run also
 *   recorded into the metrics), its time and this process's peak RSS;
 * - an incremental run after 100 more executions are saved;
 * - p95 accuracy: the worst relative error of a node's reported p95 against the exact p95 of all its runs;
 * - baseline in the same process, afterwards: the same pages read and kept whole, exact percentiles computed
 *   from them (what a script that keeps executions would do), for its time and memory.
 * BENCH_EXECUTIONS=20000 shows that the analysis's memory does not grow with the number of executions.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resetSharedProcessState } from '../lib/state';
import { HarnessCredentialsHelper } from '../test/helpers/credentialsHelper';
import { PerfMonitor } from '../nodes/PerfMonitor/PerfMonitor.node';
import { HarnessNodeTypes } from '../test/helpers/nodeTypes';
import { PERF_MONITOR_TYPE } from '../test/helpers/packageNodes';
import { exactQuantile } from '../test/helpers/random';
import { WorkflowHarness, type WorkflowJson } from '../test/helpers/workflowHarness';
import { printFigures, printTable, round } from './report';

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 5000);
const NODES = 12;
const NEW_EXECUTIONS = 100;

type Json = Record<string, any>;

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

async function startApiStub(): Promise<{ url: string; apiKey: string; workflowId: string; stop: () => Promise<void> }> {
	const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '../test/helpers/executionsApiStubServer.ts'), '--executions', String(EXECUTIONS)], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const line = await new Promise<string>((resolve, reject) => {
		let stdout = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString('utf8');
			if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
		});
		child.once('exit', (code) => reject(new Error(`the executions API stand-in exited with ${code}`)));
	});
	const started = JSON.parse(line) as { url: string; apiKey: string; workflowId: string };
	return {
		...started,
		stop: async () => {
			if (child.exitCode !== null) return;
			const exited = once(child, 'exit');
			child.kill('SIGTERM');
			await exited;
		},
	};
}

async function control(url: string, name: string): Promise<Json> {
	const response = await fetch(`${url.replace(/\/api\/v1$/, '')}/_stub/${name}`);
	return (await response.json()) as Json;
}

async function main(): Promise<void> {
	const stub = await startApiStub();
	try {
		resetSharedProcessState();
		const credentials = new HarnessCredentialsHelper();
		credentials.set('n8n', { baseUrl: stub.url, apiKey: stub.apiKey });
		// Only the node under test is loaded: the process's memory is then mostly n8n-core's and the analysis's.
		const harness = new WorkflowHarness({ nodeTypes: new HarnessNodeTypes({ [PERF_MONITOR_TYPE]: PerfMonitor }), credentialsHelper: credentials });
		const workflow: WorkflowJson & { id: string } = {
			id: 'benchAnalyzer',
			name: 'Analyzer',
			nodes: [
				{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'a',
					name: 'Analyze',
					type: PERF_MONITOR_TYPE,
					typeVersion: 1,
					position: [200, 0],
					parameters: { operation: 'analyzeExecutions', workflowIds: stub.workflowId, lookBackHours: 720, maxExecutions: 1_000_000 },
					credentials: { n8nApi: { id: 'n8n', name: 'n8n' } },
				},
			],
			connections: { Start: { main: [[{ node: 'Analyze', type: 'main', index: 0 }]] } },
		};
		const rssBefore = peakRssMb();
		let started = performance.now();
		const full = await harness.run(workflow);
		const analyzeMs = performance.now() - started;
		const peakRss = peakRssMb();
		if (full.status !== 'success') throw new Error(`analysis failed: ${full.error}`);
		const [report] = full.json('Analyze') as Json[];
		if (report.executionsRead !== EXECUTIONS) throw new Error(`read ${report.executionsRead} executions, expected ${EXECUTIONS}`);
		const nodes = report.workflows[0].nodes as Json[];
		if (nodes.length !== NODES) throw new Error(`reported ${nodes.length} nodes, expected ${NODES}`);

		const exact = await control(stub.url, 'exact');
		const errors = nodes.map((node) => ({ node: node.node, reported: node.durationMs.p95 as number, exact: exact[node.node] as number }));
		const p95ErrorPct = Math.max(...errors.map(({ reported, exact: value }) => (Math.abs(reported - value) / value) * 100));

		await control(stub.url, `add?count=${NEW_EXECUTIONS}`);
		started = performance.now();
		const incremental = await harness.run(workflow);
		const incrementalMs = performance.now() - started;
		const [next] = incremental.json('Analyze') as Json[];
		if (next.executionsRead !== NEW_EXECUTIONS) throw new Error(`the incremental run read ${next.executionsRead}, expected ${NEW_EXECUTIONS}`);

		// Baseline: the same pages, kept whole.
		started = performance.now();
		const kept: Json[] = [];
		let cursor: string | null = null;
		do {
			const query = new URLSearchParams({ includeData: 'true', workflowId: stub.workflowId, limit: '50' });
			if (cursor) query.set('cursor', cursor);
			const page = (await (await fetch(`${stub.url}/executions?${query}`, { headers: { 'X-N8N-API-KEY': stub.apiKey } })).json()) as Json;
			kept.push(...(page.data as Json[]));
			cursor = page.nextCursor;
		} while (cursor);
		const byNode = new Map<string, number[]>();
		for (const execution of kept) {
			for (const [name, tasks] of Object.entries(execution.data.resultData.runData as Record<string, Json[]>)) {
				for (const task of tasks) (byNode.get(name) ?? byNode.set(name, []).get(name)!).push(task.executionTime);
			}
		}
		for (const durations of byNode.values()) exactQuantile(durations.sort((a, b) => a - b), 0.95);
		const baselineMs = performance.now() - started;
		const baselinePeakRss = peakRssMb();

		printTable('Analyze Executions: 5,000 executions of a 12-node workflow, pages of 50 (with item data)', [
			{ run: 'full analysis (node, harness)', ms: round(analyzeMs, 0), 'peak RSS MB': round(peakRss, 1), 'RSS growth MB': round(peakRss - rssBefore, 1) },
			{ run: `incremental (${NEW_EXECUTIONS} new)`, ms: round(incrementalMs, 0), 'peak RSS MB': '-', 'RSS growth MB': '-' },
			{ run: 'baseline: keep every page', ms: round(baselineMs, 0), 'peak RSS MB': round(baselinePeakRss, 1), 'RSS growth MB': round(baselinePeakRss - peakRss, 1) },
		]);
		printTable('p95 per node: reported against exact', errors.map(({ node, reported, exact: value }) => ({ node, reported, exact: value, 'error %': round((Math.abs(reported - value) / value) * 100, 2) })));
		printFigures({ bench: 'executions', executions: EXECUTIONS, nodes: NODES, analyzeMs: round(analyzeMs, 0), peakRssMb: round(peakRss, 1), incrementalMs: round(incrementalMs, 0), p95ErrorPct: round(p95ErrorPct, 2) });
	} finally {
		await stub.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
