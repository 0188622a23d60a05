import { ExecutionsApiStub, type StubNodeRun } from './executionsApiStub';
import { exactQuantile, logNormalSampler, seededRandom } from './random';

/**
 * The executions API stand-in as a process of its own, serving the saved executions of one 12-node workflow:
 *
 *   node -r ts-node/register/transpile-only test/helpers/executionsApiStubServer.ts --executions 5000
 *
 * prints `{"url":"http://127.0.0.1:PORT/api/v1","apiKey":"…","workflowId":"…"}`, then serves until SIGTERM.
 * `GET /_stub/add?count=N` saves N more executions; `GET /_stub/exact` gives every node's exact p95 over all
 * executions saved so far, to compare the analysis with.
 */

export const BENCH_WORKFLOW_ID = 'benchWorkflow01';
export const BENCH_NODE_COUNT = 12;

/** Twelve nodes of n8n's own types, each with its own latency shape (medians from 1 ms to about 400 ms). */
const NODES: Array<{ name: string; type: string; medianMs: number; sigma: number; errorRate: number }> = [
	{ name: 'Webhook', type: 'n8n-nodes-base.webhook', medianMs: 1, sigma: 0.3, errorRate: 0 },
	{ name: 'Validate', type: 'n8n-nodes-base.if', medianMs: 2, sigma: 0.4, errorRate: 0 },
	{ name: 'Load Customer', type: 'n8n-nodes-base.postgres', medianMs: 25, sigma: 0.6, errorRate: 0.01 },
	{ name: 'Enrich', type: 'n8n-nodes-base.httpRequest', medianMs: 180, sigma: 0.8, errorRate: 0.03 },
	{ name: 'Transform', type: 'n8n-nodes-base.code', medianMs: 40, sigma: 0.5, errorRate: 0.005 },
	{ name: 'Summarize', type: '@n8n/n8n-nodes-langchain.lmChatOpenAi', medianMs: 400, sigma: 0.7, errorRate: 0.02 },
	{ name: 'Merge', type: 'n8n-nodes-base.merge', medianMs: 3, sigma: 0.3, errorRate: 0 },
	{ name: 'Set Fields', type: 'n8n-nodes-base.set', medianMs: 2, sigma: 0.3, errorRate: 0 },
	{ name: 'Save', type: 'n8n-nodes-base.postgres', medianMs: 30, sigma: 0.6, errorRate: 0.01 },
	{ name: 'Notify', type: 'n8n-nodes-base.slack', medianMs: 120, sigma: 0.5, errorRate: 0.02 },
	{ name: 'Sub-workflow', type: 'n8n-nodes-base.executeWorkflow', medianMs: 300, sigma: 0.6, errorRate: 0.01 },
	{ name: 'Respond', type: 'n8n-nodes-base.respondToWebhook', medianMs: 1, sigma: 0.3, errorRate: 0 },
];

function argument(name: string, fallback: number): number {
	const index = process.argv.indexOf(name);
	return index === -1 ? fallback : Number(process.argv[index + 1]);
}

async function main(): Promise<void> {
	const random = seededRandom(18);
	const samplers = NODES.map((node) => logNormalSampler(random, Math.log(node.medianMs), node.sigma));
	const durations = NODES.map((): number[] => []);
	const stub: ExecutionsApiStub = new ExecutionsApiStub({
		workflowNames: { [BENCH_WORKFLOW_ID]: 'Bench orders' },
		itemBytes: 300,
		control: (name, query): unknown => {
			if (name === 'add') {
				addExecutions(Number(query.get('count') ?? 0));
				return { total: stub.executions.length };
			}
			if (name === 'exact') {
				return Object.fromEntries(NODES.map((node, index) => [node.name, exactQuantile(Float64Array.from(durations[index]).sort(), 0.95)]));
			}
			return undefined;
		},
	});
	// Executions started one second apart, the newest a few seconds ago.
	let startedAt = Date.now() - argument('--executions', 5000) * 1000;
	const addExecutions = (count: number) => {
		for (let execution = 0; execution < count; execution++) {
			let failed = false;
			const runs: StubNodeRun[] = [];
			// As in n8n, a failing node ends the execution: the nodes after it do not run.
			for (let index = 0; index < NODES.length && !failed; index++) {
				// Whole milliseconds, as n8n saves executionTime.
				const executionTime = Math.max(0, Math.round(samplers[index]()));
				durations[index].push(executionTime);
				const run: StubNodeRun = { name: NODES[index].name, type: NODES[index].type, executionTime, items: 1 + Math.floor(random() * 5) };
				if (random() < NODES[index].errorRate) {
					failed = true;
					run.error = { message: 'Request failed', httpCode: '503' };
				}
				runs.push(run);
			}
			stub.add({ workflowId: BENCH_WORKFLOW_ID, status: failed ? 'error' : 'success', startedAt, runs });
			startedAt += 1000;
		}
	};
	addExecutions(argument('--executions', 5000));
	const url = await stub.start();
	process.stdout.write(`${JSON.stringify({ url, apiKey: stub.key, workflowId: BENCH_WORKFLOW_ID })}\n`);
	const stop = () => void stub.stop().then(() => process.exit(0));
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

void main();
