/**
 * The AI Agent in a real n8n 2.40.7, with n8n's own OpenAI Chat Model (baseline) and with Optimized Chat Model (ours).
 * - One n8n with this package packed and installed; the LLM stub in its own process (200 ms per completion, tool
 *   calls scripted by a `[[tool:...]]` marker in the question); a fact server in this process as the tool's backend.
 * - Two published workflows of the same shape (agentWorkflow.ts): Webhook → AI Agent 3.1 with one HTTP Request
 *   Tool, streaming off; only the chat model differs.
 * - Workload per workflow: 200 webhook runs over 40 distinct questions (run i asks question i mod 40), 8 at a time;
 *   every question makes the agent call the tool once and then answer, so a fresh run costs 2 model calls.
 *   Baseline first, then ours; counters are taken as differences around each workload.
 * - Then SEQUENTIAL_RUNS questions the workload asked are timed one at a time: a single run's latency without
 *   n8n's queueing, since at 8 at a time n8n's own work per execution can outweigh the model's latency.
 * - Every answer must contain the fact the tool returned for its topic; a wrong answer fails the bench.
 */
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { packPackage, provision, publishWorkflow, startN8n, type N8nInstance } from '../test/e2e/n8nInstance';
import { agentWorkflow, FACT_TOOL_NAME, openAiChatModelNode, optimizedChatModelNode } from './agentWorkflow';
import { factFor, startFactServer, type FactServer } from './factServer';
import { printFigures, printTable, round } from './report';
import { startStubProcess, type StubProcess } from './stubProcess';

const STUB_KEY = 'sk-bench-agent-000111';
const LATENCY_MS = 200;
const RUNS = 200;
const DISTINCT_QUESTIONS = 40;
const CONCURRENCY = 8;
/** Runs timed one at a time after the workload, to show a single run's latency without n8n's queueing. */
const SEQUENTIAL_RUNS = 10;
const TITLE = `AI Agent in n8n 2.40.7, ${RUNS} runs over ${DISTINCT_QUESTIONS} questions, ${CONCURRENCY} at a time, ${LATENCY_MS} ms per model call`;
const OUR_NODE_TYPE = 'n8n-nodes-perf-optimizer.optimizedChatModel';

interface Question {
	topic: string;
	text: string;
}

function question(topic: string): Question {
	return { topic, text: `What is the fact about ${topic}? [[tool:${FACT_TOOL_NAME} {"topic":"${topic}"}]]` };
}

interface StubStats {
	upstreamCalls: number;
	toolCalls: number;
}

async function stubStats(stub: StubProcess): Promise<StubStats> {
	const response = await fetch(`${stub.url}/_stub/stats`);
	if (!response.ok) throw new Error(`GET /_stub/stats -> ${response.status}`);
	return (await response.json()) as StubStats;
}

interface WrongAnswer {
	topic: string;
	status: number;
	body: string;
}

/** One webhook run; undefined when the answer is right, else what came back. */
async function ask(n8n: N8nInstance, path: string, asked: Question): Promise<WrongAnswer | undefined> {
	const response = await fetch(`${n8n.baseUrl}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ question: asked.text }),
	});
	const body = await response.text();
	let output: unknown;
	try {
		output = JSON.parse(body)?.output;
	} catch {
		// not JSON: reported below as it came
	}
	if (response.status === 200 && typeof output === 'string' && output.includes(factFor(asked.topic))) return undefined;
	return { topic: asked.topic, status: response.status, body: body.slice(0, 500) };
}

interface WorkloadResult {
	wallMs: number;
	/** CPU time of the n8n process per run during the workload: n8n's own work per Agent execution plus the model's. */
	n8nCpuMsPerRun: number;
	/** Median latency of one run when nothing else runs (questions the workload already asked). */
	sequentialMedianMs: number;
	upstreamCalls: number;
	stubToolCalls: number;
	toolExecutions: number;
}

const QUESTIONS = Array.from({ length: DISTINCT_QUESTIONS }, (_, index) => question(`topic-${String(index).padStart(2, '0')}`));

function wrongAnswersError(label: string, runs: number, wrong: WrongAnswer[], n8n: N8nInstance): Error {
	const examples = wrong.slice(0, 3).map((answer) => `  ${answer.topic}: HTTP ${answer.status} ${answer.body}`);
	return new Error(`${label}: ${wrong.length} of ${runs} runs answered wrongly (no fact from the tool), e.g.\n${examples.join('\n')}\nn8n's log: ${n8n.logFile}`);
}

async function sequentialMedianMs(n8n: N8nInstance, path: string, label: string): Promise<number> {
	const samples: number[] = [];
	const wrong: WrongAnswer[] = [];
	for (const asked of QUESTIONS.slice(0, SEQUENTIAL_RUNS)) {
		const started = performance.now();
		const answer = await ask(n8n, path, asked);
		samples.push(performance.now() - started);
		if (answer) wrong.push(answer);
	}
	if (wrong.length > 0) throw wrongAnswersError(`${label}, one at a time`, SEQUENTIAL_RUNS, wrong, n8n);
	samples.sort((a, b) => a - b);
	return samples[Math.floor(samples.length / 2)];
}

async function runWorkload(n8n: N8nInstance, path: string, stub: StubProcess, facts: FactServer, label: string): Promise<WorkloadResult> {
	const questions = QUESTIONS;
	const before = await stubStats(stub);
	facts.reset();
	const limit = pLimit(CONCURRENCY);
	const cpuBefore = n8n.cpuMs();
	const started = performance.now();
	const wrong = (await Promise.all(Array.from({ length: RUNS }, (_, run) => limit(() => ask(n8n, path, questions[run % DISTINCT_QUESTIONS]))))).filter(
		(answer): answer is WrongAnswer => answer !== undefined,
	);
	const wallMs = performance.now() - started;
	const n8nCpuMsPerRun = (n8n.cpuMs() - cpuBefore) / RUNS;
	const after = await stubStats(stub);
	if (wrong.length > 0) throw wrongAnswersError(label, RUNS, wrong, n8n);
	const counted = {
		wallMs,
		n8nCpuMsPerRun,
		upstreamCalls: after.upstreamCalls - before.upstreamCalls,
		stubToolCalls: after.toolCalls - before.toolCalls,
		toolExecutions: facts.calls(),
	};
	return { ...counted, sequentialMedianMs: await sequentialMedianMs(n8n, path, label) };
}

/** One run with a question outside the workload, so n8n has loaded the workflow's nodes before the clock starts. */
async function warmUp(n8n: N8nInstance, path: string): Promise<void> {
	const wrong = await ask(n8n, path, question(`warm-up-${path}`));
	if (wrong) throw new Error(`the warm-up run of /webhook/${path} failed: HTTP ${wrong.status} ${wrong.body}\nn8n's log: ${n8n.logFile}`);
}

function row(label: string, result: WorkloadResult) {
	return {
		chatModel: label,
		runs: RUNS,
		wallMs: round(result.wallMs, 0),
		msPerRun: round(result.wallMs / RUNS, 1),
		n8nCpuMsPerRun: round(result.n8nCpuMsPerRun, 1),
		upstreamCalls: result.upstreamCalls,
		toolCallsIssued: result.stubToolCalls,
		toolExecutions: result.toolExecutions,
		oneRunAloneMs: round(result.sequentialMedianMs, 0),
	};
}

async function main() {
	const tools = provision();
	const tarball = packPackage();
	const stub = await startStubProcess(STUB_KEY, { latencyMs: LATENCY_MS });
	const facts = await startFactServer();
	let n8n: N8nInstance | undefined;
	try {
		n8n = await startN8n({ ...tools, tarball });
		const nodeTypes = new Set(((await n8n.getJson('/types/nodes.json')) as Array<{ name: string }>).map((node) => node.name));

		const openAi = await n8n.rest('POST', '/credentials', { name: 'Stub OpenAI', type: 'openAiApi', data: { apiKey: STUB_KEY, url: `${stub.url}/v1` } });
		await publishWorkflow(
			n8n,
			agentWorkflow('Agent bench: OpenAI Chat Model', 'agent-baseline', openAiChatModelNode({ id: openAi.data.id, name: 'Stub OpenAI' }), facts.url),
		);
		await warmUp(n8n, 'agent-baseline');
		const baseline = await runWorkload(n8n, 'agent-baseline', stub, facts, 'OpenAI Chat Model');
		printTable(TITLE, [row('OpenAI Chat Model (n8n)', baseline)]);

		if (!nodeTypes.has(OUR_NODE_TYPE)) throw new Error(`the packed package has no ${OUR_NODE_TYPE} node: only the baseline was measured`);
		const optimized = await n8n.rest('POST', '/credentials', {
			name: 'Stub Optimized',
			type: 'optimizedAiApi',
			data: { provider: 'openAiCompatible', baseUrl: `${stub.url}/v1`, apiKey: STUB_KEY },
		});
		await publishWorkflow(
			n8n,
			agentWorkflow('Agent bench: Optimized Chat Model', 'agent-ours', optimizedChatModelNode({ id: optimized.data.id, name: 'Stub Optimized' }), facts.url),
		);
		await warmUp(n8n, 'agent-ours');
		const ours = await runWorkload(n8n, 'agent-ours', stub, facts, 'Optimized Chat Model');

		printTable(TITLE, [row('OpenAI Chat Model (n8n)', baseline), row('Optimized Chat Model', ours)]);
		process.stdout.write(
			`\nSpeed-up: ${round(baseline.wallMs / ours.wallMs, 2)}x for the workload, ${round(baseline.sequentialMedianMs / ours.sequentialMedianMs, 1)}x for one run alone (median of ${SEQUENTIAL_RUNS}); upstream calls ${baseline.upstreamCalls} -> ${ours.upstreamCalls}\n`,
		);
		printFigures({
			bench: 'agent',
			runs: RUNS,
			distinctQuestions: DISTINCT_QUESTIONS,
			upstreamCallsOurs: ours.upstreamCalls,
			upstreamCallsBaseline: baseline.upstreamCalls,
			wallMsOurs: round(ours.wallMs, 0),
			wallMsBaseline: round(baseline.wallMs, 0),
			toolCallsOurs: ours.toolExecutions,
			toolCallsBaseline: baseline.toolExecutions,
		});
	} finally {
		await n8n?.stop();
		await facts.close();
		await stub.stop();
	}
}

main().catch((error) => {
	process.stderr.write(`${error?.stack ?? error}\n`);
	process.exit(1);
});
