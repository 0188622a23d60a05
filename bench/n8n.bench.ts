/**
 * Every comparison of the package's nodes against the best setup an n8n user can build with n8n's own nodes, inside
 * one real n8n 2.40.7 (SQLite, default execution saving, loopback), with the setups of a comparison alternating
 * round by round and the median of the rounds reported:
 * - sub-workflow fan-out, 1,000 items: Execute Workflow once for each item / once with all items / Batch Workflow
 *   Trigger, with a cheap sub-workflow (Set) and an I/O-bound one (one HTTP Request per execution to a service
 *   taking 1 ms per item, 100 ms for a batch of 100);
 * - LLM calls, 2,000 items Zipf over 500 prompts, the LLM stub in its own process at 50 ms: HTTP Request, the OpenAI
 *   node, Basic LLM Chain + OpenAI Chat Model, Optimized AI Call;
 * - template rendering, 10,000 items: Code node (a regex fill per item: n8n's task runner forbids Handlebars.compile),
 *   Set with an expression, Template Populate;
 * - webhook fan-out, 2,000 items, receiver at 5 ms: HTTP Request per item, Batch Workflow Trigger (gzip).
 * Setups that are expected to take minutes (per-item sub-executions, the sequential OpenAI node) run in the first
 * BENCH_N8N_SLOW_ROUNDS rounds only (default 1). BENCH_N8N_ROUNDS (default 3), BENCH_N8N_ONLY (comma-separated
 * comparison keys) and BENCH_N8N_CPU_PROF (a folder: n8n runs with --cpu-prof into it) shape a run.
 */
import { packPackage, provision, publishWorkflow, startN8n, type N8nInstance } from '../test/e2e/n8nInstance';
import { startBenchReceiver } from './n8nReceiver';
import { comparisons, type Comparison, type Setup } from './n8nComparisons';
import { savedBetween, savedExecutions } from './n8nExecutions';
import { measureRun, type RunMeasure } from './n8nRun';
import { printFigures, printTable, round } from './report';
import { startStubProcess } from './stubProcess';

const STUB_KEY = 'sk-bench-n8n-000222';
const LLM_LATENCY_MS = 50;
const ROUNDS = Number(process.env.BENCH_N8N_ROUNDS ?? 3);
const SLOW_ROUNDS = Number(process.env.BENCH_N8N_SLOW_ROUNDS ?? 1);
const ONLY = process.env.BENCH_N8N_ONLY?.split(',').map((key) => key.trim()).filter(Boolean);

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};

interface Summary {
	setup: Setup;
	wallMs: number;
	cpuMs: number;
	runs: RunMeasure[];
}

function summarise(setup: Setup, runs: RunMeasure[]): Summary {
	return { setup, runs, wallMs: median(runs.map((run) => run.wallMs)), cpuMs: median(runs.map((run) => run.n8nCpuMs)) };
}

function rows(comparison: Comparison, summaries: Summary[]) {
	const reference = summaries[0].wallMs;
	return summaries.filter((summary) => summary.runs.length > 0).map(({ setup, wallMs, cpuMs, runs }) => ({
		setup: setup.label,
		runs: runs.length,
		medianS: round(wallMs / 1000, 3),
		n8nCpuS: round(cpuMs / 1000, 3),
		[`vs ${summaries[0].setup.short}`]: `${round(reference / wallMs, 2)}x`,
		executions: runs[0].executions,
		savedKb: round(runs[0].savedBytes / 1024, 0),
		upstream: runs[0].upstream ?? '',
	}));
}

async function main() {
	const tools = provision();
	const tarball = packPackage();
	const stub = await startStubProcess(STUB_KEY, { latencyMs: LLM_LATENCY_MS });
	const receiver = await startBenchReceiver();
	const env: Record<string, string> = {};
	if (process.env.BENCH_N8N_CPU_PROF) env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${process.env.BENCH_N8N_CPU_PROF}`;
	let n8n: N8nInstance | undefined;
	try {
		n8n = await startN8n({ ...tools, tarball, env });
		const running = n8n;
		const openAi = await running.rest('POST', '/credentials', { name: 'Stub OpenAI', type: 'openAiApi', data: { apiKey: STUB_KEY, url: `${stub.url}/v1` } });
		const optimized = await running.rest('POST', '/credentials', {
			name: 'Stub Optimized',
			type: 'optimizedAiApi',
			data: { provider: 'openAiCompatible', baseUrl: `${stub.url}/v1`, apiKey: STUB_KEY },
		});
		const selected = (
			await comparisons({
				publish: (workflow) => publishWorkflow(running, workflow),
				stubUrl: stub.url,
				stubKey: STUB_KEY,
				receiverUrl: receiver.url,
				openAi: { id: openAi.data.id, name: 'Stub OpenAI' },
				optimized: { id: optimized.data.id, name: 'Stub Optimized' },
			})
		).filter((comparison) => !ONLY || ONLY.includes(comparison.key));
		const saved = () => savedExecutions(tools.node24, tools.n8nBin, running.userFolder);
		const measure = async (setup: Setup, items: unknown[], roundName: string) => {
			const before = saved();
			const upstreamBefore = setup.upstream ? await setup.upstream(stub.url, receiver) : undefined;
			const result = await measureRun(running, setup, items, roundName);
			const upstreamAfter = setup.upstream ? await setup.upstream(stub.url, receiver) : undefined;
			const executions = savedBetween(before, saved(), setup.workflowIds);
			return {
				...result,
				executions: executions.count,
				savedBytes: executions.dataBytes,
				upstream: upstreamAfter === undefined ? undefined : upstreamAfter - (upstreamBefore as number),
			};
		};

		// One unmeasured run each, so n8n has loaded every node, and Batch Workflow Trigger has measured its sub-workflow
		// once, as it has in any workflow that ran before; slow setups get a short one.
		for (const comparison of selected) {
			for (const setup of comparison.setups) await measure(setup, comparison.items('warm-up').slice(0, setup.slow ? 20 : undefined), 'warm-up');
		}

		const measured = new Map<Setup, RunMeasure[]>();
		for (let roundIndex = 0; roundIndex < ROUNDS; roundIndex++) {
			for (const comparison of selected) {
				const items = comparison.items(`round ${roundIndex + 1}`);
				// Alternate: each round starts with another setup, so no setup always runs on a warmer or cooler n8n.
				const order = comparison.setups.map((_, index) => comparison.setups[(index + roundIndex) % comparison.setups.length]);
				for (const setup of order) {
					if (setup.slow && roundIndex >= SLOW_ROUNDS) continue;
					const run = await measure(setup, items, `round ${roundIndex + 1}`);
					measured.set(setup, [...(measured.get(setup) ?? []), run]);
					process.stderr.write(`[n8n bench] ${comparison.key} round ${roundIndex + 1}: ${setup.label} ${round(run.wallMs / 1000, 3)} s, ${run.executions} executions\n`);
				}
			}
		}

		const byKey = new Map<string, Summary[]>();
		for (const comparison of selected) {
			const summaries = comparison.setups.map((setup) => summarise(setup, measured.get(setup) ?? []));
			byKey.set(comparison.key, summaries);
			printTable(`${comparison.title} (n8n 2.40.7, SQLite, default execution saving; medians of the rounds)`, rows(comparison, summaries));
		}
		const time = (key: string, short: string) => byKey.get(key)?.find((summary) => summary.setup.short === short);
		const ratio = (key: string, numerator: string, denominator: string) => {
			const top = time(key, numerator);
			const bottom = time(key, denominator);
			return top && bottom ? round(top.wallMs / bottom.wallMs, 2) : null;
		};
		// Batch Workflow Trigger as configured by default; the fixed 100-per-batch setup where that is all there is.
		const batch = (key: string) => (time(key, 'ours') ? 'ours' : 'fixed');
		const aiBestNative = ['http', 'openai', 'chain'].map((short) => time('ai', short)).filter((summary) => summary !== undefined).sort((a, b) => a.wallMs - b.wallMs)[0];
		const ours = time('ai', 'ours');
		printFigures({
			bench: 'n8n',
			speedupVsEachItem: ratio('fanout-trivial', 'each', batch('fanout-trivial')),
			ratioToAllItems: ratio('fanout-trivial', batch('fanout-trivial'), 'all'),
			ioBoundSpeedupVsAllItems: ratio('fanout-io', 'all', batch('fanout-io')),
			subExecutionsOurs: time('fanout-trivial', batch('fanout-trivial'))?.runs[0].executions ?? null,
			aiUpstreamOurs: ours?.runs[0].upstream ?? null,
			aiUpstreamBaseline: time('ai', 'http')?.runs[0].upstream ?? null,
			aiSpeedupVsBestNative: ours && aiBestNative ? round(aiBestNative.wallMs / ours.wallMs, 2) : null,
			templateSpeedupVsCode: ratio('template', 'code', 'ours'),
			templateRatioToSet: ratio('template', 'ours', 'set'),
			webhookSpeedup: ratio('webhook', 'http', 'ours'),
		});
	} finally {
		await n8n?.stop();
		await receiver.close();
		await stub.stop();
	}
}

main().catch((error) => {
	process.stderr.write(`${error?.stack ?? error}\n`);
	process.exit(1);
});
