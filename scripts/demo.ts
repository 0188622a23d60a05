/**
 * `npm start`: n8n 2.40.7 with this package and every example workflow, ready to click through and curl.
 *
 * Builds and packs the package, provisions Node 24 + n8n (cached outside the clone), starts the local LLM stub
 * (or uses OPENAI_API_KEY / OPENAI_BASE_URL / OPENAI_MODEL when set) and n8n on a fresh user folder, creates
 * the owner, publishes the examples, sends a little traffic so the monitor has something to show, and prints
 * the editor URL, the login and curl lines. Ctrl-C stops everything it started.
 */
import { startLlmStub, type LlmStub } from '../test/helpers/llmStub';
import { createExampleWriteKey, publishExamples, type ExampleWriteKey, type PublishedExample } from '../test/e2e/exampleSet';
import { freePort } from '../test/helpers/freePort';
import { DEMO_OWNER, packPackage, provision, startN8n, type N8nInstance } from '../test/e2e/n8nInstance';

const STUB_KEY = 'sk-demo-stub-key';
/** The question the demo asks the AI Agent example (Optimized Chat Model with a Calculator tool). */
const AGENT_QUESTION = 'What is 17 * 23?';
const PREFERRED_PORT = 5678;

function step(message: string): void {
	console.log(`\u25b8 ${message}`);
}

async function warmUp(baseUrl: string, writeKey: ExampleWriteKey): Promise<void> {
	const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
		fetch(`${baseUrl}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
	for (const prompt of ['What is n8n?', 'What is n8n?', 'Name three uses of a cache.']) await post('optimize-ai-calls', { prompt });
	// The agent asks its Calculator, then answers; the repeat is served from the cache, tool run included.
	for (let run = 0; run < 2; run++) await post('agent', { question: AGENT_QUESTION });
	await post(
		'save-template-processing',
		{ save: { id: 'welcome', body: 'Hello {{first_name}}, welcome to {{company}}!', tags: ['demo'] } },
		{ [writeKey.header]: writeKey.value },
	);
	await post('optimize-template-processing', { templateId: 'welcome', items: [{ firstName: 'Ada', company: 'Acme' }] });
	await post('optimize-workflow-performance', { items: Array.from({ length: 50 }, (_, value) => ({ value })), batchSize: 10 });
}

function printGuide(n8n: N8nInstance, examples: Map<string, PublishedExample>, provider: string, writeKey: ExampleWriteKey): void {
	const base = n8n.baseUrl;
	const keyHeader = `-H '${writeKey.header}: ${writeKey.value}'`;
	const lines = [
		'',
		`Live performance dashboard (open in a browser): ${base}/webhook/dashboard`,
		'',
		`n8n is running with n8n-nodes-perf-optimizer: ${base}`,
		`  login: ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`,
		`  AI provider: ${provider}`,
		`  published examples: ${[...examples.values()].map((example) => example.name).join('; ')}`,
		`  write key (template save, configure; credential "${writeKey.name}"): ${writeKey.header}: ${writeKey.value}`,
		'',
		'Try the Performance API:',
		`  curl -s -X POST ${base}/webhook/optimize-ai-calls -H 'content-type: application/json' -d '{"prompt":"What is n8n?"}'`,
		`  curl -s -X POST ${base}/webhook/optimize-workflow-performance -H 'content-type: application/json' -d '{"items":[{"id":1},{"id":2},{"id":3}],"batchSize":2}'`,
		`  curl -s -X POST ${base}/webhook/optimize-template-processing -H 'content-type: application/json' -d '{"templateId":"welcome","items":[{"firstName":"Grace","company":"Initech"}]}'`,
		`  curl -s -X POST ${base}/webhook/save-template-processing ${keyHeader} -H 'content-type: application/json' -d '{"save":{"id":"bye","body":"Bye {{first_name}}!"}}'`,
		`  curl -s -X POST ${base}/webhook/agent -H 'content-type: application/json' -d '{"question":"${AGENT_QUESTION}"}'`,
		`  curl -sN -X POST ${base}/webhook/agent-stream -H 'content-type: application/json' -d '{"question":"${AGENT_QUESTION}"}'`,
		`  curl -s ${base}/webhook/get-optimization-metrics?minutes=60`,
		`  curl -s ${base}/webhook/get-performance-bottlenecks`,
		`  curl -s ${base}/webhook/get-cache-statistics`,
		`  curl -s -X POST ${base}/webhook/configure-performance-settings ${keyHeader} -H 'content-type: application/json' -d '{"latencySloMs":1500}'`,
		`  curl -s ${base}/webhook/monitor-system-performance`,
		`  curl -s ${base}/webhook/metrics`,
		`  curl -s '${base}/webhook/dashboard?minutes=60&refresh=10' -o dashboard.html`,
		`  curl -s ${base}/webhook/chart -o chart.png`,
		'',
		`n8n's log: ${n8n.logFile}`,
		'Press Ctrl-C to stop n8n and the stub.',
	];
	console.log(lines.join('\n'));
}

async function main(): Promise<void> {
	let n8n: N8nInstance | undefined;
	let stub: LlmStub | undefined;
	let stopping = false;
	const stopAll = async (code: number) => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the stub...');
		await n8n?.stop().catch(() => undefined);
		await stub?.close().catch(() => undefined);
		process.exit(code);
	};
	process.on('SIGINT', () => void stopAll(0));
	process.on('SIGTERM', () => void stopAll(0));

	try {
		step('Provisioning Node 24 and n8n 2.40.7 (cached; the first run takes a few minutes)');
		const tools = provision();
		step('Building and packing the package');
		const tarball = packPackage();

		const apiKey = process.env.OPENAI_API_KEY;
		let credentialData: Record<string, string>;
		let provider: string;
		if (apiKey) {
			const baseUrl = process.env.OPENAI_BASE_URL || 'https://api.openai.com/v1';
			credentialData = { provider: 'openAiCompatible', baseUrl, apiKey };
			provider = `${baseUrl} (from OPENAI_API_KEY)`;
		} else {
			stub = await startLlmStub({ apiKey: STUB_KEY, latencyMs: 400 });
			// The stub decides tool calls by script: the agent example's question goes to its Calculator.
			stub.script({ promptIncludes: AGENT_QUESTION, call: { name: 'Calculator', arguments: { input: '17 * 23' } }, answer: '17 × 23 = {results}' });
			credentialData = { provider: 'openAiCompatible', baseUrl: stub.openAiBaseUrl, apiKey: STUB_KEY };
			provider = `local stub at ${stub.openAiBaseUrl} (echoes prompts; set OPENAI_API_KEY for a real provider)`;
		}

		const port = await freePort(PREFERRED_PORT);
		step(`Starting n8n on port ${port}`);
		n8n = await startN8n({ ...tools, tarball, port });
		const credential = await n8n.rest('POST', '/credentials', { name: 'Optimized AI API (demo)', type: 'optimizedAiApi', data: credentialData });
		step('Publishing the example workflows');
		const writeKey = await createExampleWriteKey(n8n);
		const examples = await publishExamples(n8n, { id: credential.data.id, name: 'Optimized AI API (demo)' }, { defaultModel: process.env.OPENAI_MODEL, writeKey });
		step('Sending a little traffic so Perf Monitor has something to show');
		await warmUp(n8n.baseUrl, writeKey);
		printGuide(n8n, examples, provider, writeKey);
	} catch (error) {
		console.error(`\nThe demo could not start: ${(error as Error).message}`);
		if (n8n) console.error(`n8n's log: ${n8n.logFile}`);
		await stopAll(1);
	}
}

void main();
