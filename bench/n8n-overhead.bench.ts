/**
 * What our nodes cost n8n per execution, in a real n8n 2.40.7 (the end-to-end harness), and what survives a restart.
 * - One n8n with this package installed; the LLM stub in its own process at 20 ms per completion.
 * - Baseline: Webhook -> Set -> Respond. Ours: the AI example (Webhook -> Optimized AI Call -> Respond).
 * - Hits: 2,000 requests over 50 cached prompts; misses: 2,000 prompts never asked. 8 at a time, baseline and ours
 *   alternated in turns of 250 requests (the first side changing every turn), so that what drifts in n8n over a
 *   minute (its own timers, a snapshot flush) falls on both sides alike; REPEATS times; throughput ratios are
 *   medians of the per-repeat ratios.
 * - Both answer with Respond to Webhook's First Incoming Item, as the example does; OVERHEAD_RESPOND=expression
 *   answers with `={{ $json }}` on both sides instead (n8n then reads our larger item through its sandbox).
 * - Before them, a Zipf-shaped workload (4,000 requests over 1,000 prompts) makes some prompts far more frequent.
 * - Snapshot bytes per execution: what our state made n8n save to static data during the hit runs, from Perf
 *   Monitor's `persistence` report (bytes written / executions). A version without that report rewrote the snapshot
 *   on every execution, so its figure is the size of the saved snapshot.
 * - Then n8n restarts on the same user folder, and each of the 20 most frequent prompts is asked once:
 *   `topPromptsServedAfterRestart` counts the hits.
 */
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { packPackage, provision, publishWorkflow, startN8n, type N8nInstance } from '../test/e2e/n8nInstance';
import { aiExampleWorkflow, monitorWorkflow, setWorkflow } from './overheadWorkflows';
import { printFigures, printTable, round } from './report';
import { startStubProcess } from './stubProcess';

const STUB_KEY = 'sk-bench-overhead-000111';
/** Requests per run; smaller on a loaded machine (OVERHEAD_REQUESTS), the figures then say so. */
const REQUESTS = Number(process.env.OVERHEAD_REQUESTS ?? 2000);
const CONCURRENCY = 8;
const REPEATS = Number(process.env.OVERHEAD_REPEATS ?? 2);
/** Requests per turn when the baseline and ours alternate. */
const TURN = 250;
const HOT_PROMPTS = 50;
const ZIPF_REQUESTS = Number(process.env.OVERHEAD_ZIPF_REQUESTS ?? 4000);
const ZIPF_PROMPTS = ZIPF_REQUESTS / 4;
const TOP = 20;

interface Answer {
	status: number;
	cache?: string;
}

async function post(n8n: N8nInstance, path: string, prompt: string): Promise<Answer> {
	const response = await fetch(`${n8n.baseUrl}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ prompt }),
	});
	const text = await response.text();
	let cache: string | undefined;
	try {
		cache = JSON.parse(text)?.optimization?.cache;
	} catch {
		// reported through the status
	}
	return { status: response.status, cache };
}

interface Load {
	seconds: number;
	outcomes: Record<string, number>;
}

/** Sends the prompts 8 at a time; fails on any non-200. */
async function load(n8n: N8nInstance, path: string, prompts: string[]): Promise<Load> {
	const limit = pLimit(CONCURRENCY);
	const outcomes: Record<string, number> = {};
	const started = performance.now();
	const answers = await Promise.all(prompts.map((prompt) => limit(() => post(n8n, path, prompt))));
	const seconds = (performance.now() - started) / 1000;
	const failed = answers.filter((answer) => answer.status !== 200);
	if (failed.length > 0) throw new Error(`${failed.length} of ${prompts.length} requests to /webhook/${path} failed (HTTP ${failed[0].status}); n8n's log: ${n8n.logFile}`);
	for (const answer of answers) outcomes[answer.cache ?? 'none'] = (outcomes[answer.cache ?? 'none'] ?? 0) + 1;
	return { seconds, outcomes };
}

/**
 * The same prompts to the baseline and to ours, in alternating turns of {@link TURN} requests, the side that goes
 * first changing every turn. Returns each side's requests per second over all its turns, and our outcomes.
 */
async function alternate(n8n: N8nInstance, basePath: string, oursPath: string, prompts: string[]): Promise<{ base: number; ours: number; outcomes: Record<string, number> }> {
	let baseSeconds = 0;
	let oursSeconds = 0;
	const outcomes: Record<string, number> = {};
	for (let start = 0, turn = 0; start < prompts.length; start += TURN, turn++) {
		const slice = prompts.slice(start, start + TURN);
		const runBase = async () => (baseSeconds += (await load(n8n, basePath, slice)).seconds);
		const runOurs = async () => {
			const ours = await load(n8n, oursPath, slice);
			oursSeconds += ours.seconds;
			for (const [outcome, count] of Object.entries(ours.outcomes)) outcomes[outcome] = (outcomes[outcome] ?? 0) + count;
		};
		if (turn % 2 === 0) {
			await runBase();
			await runOurs();
		} else {
			await runOurs();
			await runBase();
		}
	}
	return { base: prompts.length / baseSeconds, ours: prompts.length / oursSeconds, outcomes };
}

/** A deterministic Zipf(1) sample of prompt indexes. */
function zipfSample(count: number, distinct: number): number[] {
	const weights = Array.from({ length: distinct }, (_, rank) => 1 / (rank + 1));
	const total = weights.reduce((sum, weight) => sum + weight, 0);
	const cumulative: number[] = [];
	weights.reduce((sum, weight, index) => (cumulative[index] = sum + weight / total), 0);
	let seed = 12345;
	const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
	return Array.from({ length: count }, () => {
		const draw = random();
		const index = cumulative.findIndex((value) => value >= draw);
		return index < 0 ? distinct - 1 : index;
	});
}

interface Persistence {
	workflowId: string;
	commits: number;
	bytesWritten: number;
}

/** Our persistence report for the workflow, or undefined when the installed version has none. */
async function persistenceOf(n8n: N8nInstance, workflowId: string): Promise<Persistence | undefined> {
	const response = await fetch(`${n8n.baseUrl}/webhook/bench-monitor`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
	const body = (await response.json()) as { persistence?: Persistence[] };
	return body.persistence?.find((row) => row.workflowId === workflowId);
}

async function savedSnapshotBytes(n8n: N8nInstance, workflowId: string): Promise<number> {
	const workflow = await n8n.rest('GET', `/workflows/${workflowId}`);
	const snapshot = workflow.data?.staticData?.global?.perfOptimizer;
	return snapshot === undefined ? 0 : Buffer.byteLength(JSON.stringify(snapshot));
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function main(): Promise<void> {
	const tools = provision();
	const tarball = packPackage();
	const stub = await startStubProcess(STUB_KEY, { latencyMs: 20 });
	// OVERHEAD_CPU_PROF (a folder): n8n runs with --cpu-prof into it, for bench/cpuProfileByPackage.ts.
	const env: Record<string, string> = {};
	if (process.env.OVERHEAD_CPU_PROF) env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${process.env.OVERHEAD_CPU_PROF}`;
	const n8n = await startN8n({ ...tools, tarball, env });
	try {
		const credential = await n8n.rest('POST', '/credentials', {
			name: 'Stub LLM',
			type: 'optimizedAiApi',
			data: { provider: 'openAiCompatible', baseUrl: `${stub.url}/v1`, apiKey: STUB_KEY },
		});
		await publishWorkflow(n8n, setWorkflow('bench-set'));
		const aiId = await publishWorkflow(n8n, aiExampleWorkflow('bench-ai', { id: credential.data.id, name: 'Stub LLM' }));
		await publishWorkflow(n8n, monitorWorkflow('bench-monitor'));

		const asked = new Map<string, number>();
		const track = (prompts: string[]) => {
			for (const prompt of prompts) asked.set(prompt, (asked.get(prompt) ?? 0) + 1);
			return prompts;
		};
		const hot = Array.from({ length: HOT_PROMPTS }, (_, index) => `hot question ${index}: what does n8n do with it?`);
		await load(n8n, 'bench-set', hot);
		await load(n8n, 'bench-ai', track(hot));
		await load(n8n, 'bench-ai', track(zipfSample(ZIPF_REQUESTS, ZIPF_PROMPTS).map((index) => `zipf question ${index}: how would you explain it?`)));

		const rows: Array<Record<string, string | number>> = [];
		const hitRatios: number[] = [];
		const missRatios: number[] = [];
		let hitBytes = 0;
		let hitCommits = 0;
		let estimatedBytes = false;
		for (let repeat = 0; repeat < REPEATS; repeat++) {
			const hitPrompts = Array.from({ length: REQUESTS }, (_, index) => hot[index % HOT_PROMPTS]);
			// The previous repeat's misses (REQUESTS fresh prompts) may have evicted the hot answers from a cache of
			// 1,000 entries: ask them once more so the hit run measures hits.
			if (repeat > 0) await load(n8n, 'bench-ai', track(hot));
			const before = await persistenceOf(n8n, aiId);
			const hits = await alternate(n8n, 'bench-set', 'bench-ai', track(hitPrompts));
			const after = await persistenceOf(n8n, aiId);
			if (before && after) {
				hitBytes += after.bytesWritten - before.bytesWritten;
				hitCommits += after.commits - before.commits;
			} else {
				// Without the report every execution rewrote the whole snapshot.
				estimatedBytes = true;
				hitBytes += (await savedSnapshotBytes(n8n, aiId)) * REQUESTS;
				hitCommits += REQUESTS;
			}
			const missPrompts = Array.from({ length: REQUESTS }, (_, index) => `fresh question ${repeat}-${index}: never asked before`);
			const misses = await alternate(n8n, 'bench-set', 'bench-ai', track(missPrompts));
			if ((hits.outcomes.hit ?? 0) !== REQUESTS) throw new Error(`hit run ${repeat}: outcomes ${JSON.stringify(hits.outcomes)}`);
			if ((misses.outcomes.miss ?? 0) !== REQUESTS) throw new Error(`miss run ${repeat}: outcomes ${JSON.stringify(misses.outcomes)}`);
			hitRatios.push(hits.ours / hits.base);
			missRatios.push(misses.ours / misses.base);
			rows.push({
				repeat,
				setPerSecond: round(hits.base, 1),
				aiHitsPerSecond: round(hits.ours, 1),
				hitRatio: round(hitRatios[repeat], 3),
				setPerSecond2: round(misses.base, 1),
				aiMissesPerSecond: round(misses.ours, 1),
				missRatio: round(missRatios[repeat], 3),
			});
		}
		printTable(`n8n 2.40.7: Webhook -> Set -> Respond vs the AI example, ${REQUESTS} requests, ${CONCURRENCY} at a time, stub at 20 ms`, rows);
		const finalSnapshot = await savedSnapshotBytes(n8n, aiId);

		const top = [...asked.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP);
		await n8n.restart();
		// The webhooks come back after the restart's publication pass.
		const deadline = Date.now() + 60_000;
		while ((await post(n8n, 'bench-set', 'ready?')).status !== 200 && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 500));
		let served = 0;
		for (const [prompt] of top) if ((await post(n8n, 'bench-ai', prompt)).cache === 'hit') served++;
		printTable('After a restart: the most frequent prompts', [
			{ prompts: TOP, askedAtLeast: top[top.length - 1][1], servedFromCache: served, savedSnapshotBytes: finalSnapshot, bytesPerExecutionEstimated: String(estimatedBytes) },
		]);
		printFigures({
			bench: 'n8n-overhead',
			...(REQUESTS === 2000 ? {} : { requestsPerRun: REQUESTS }),
			hitThroughputRatio: round(median(hitRatios), 3),
			missThroughputRatio: round(median(missRatios), 3),
			snapshotBytesPerExecution: Math.round(hitBytes / hitCommits),
			topPromptsServedAfterRestart: served,
		});
	} finally {
		await n8n.stop();
		await stub.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
