import { performance } from 'node:perf_hooks';
import { startLlmStub, type LlmStub } from '../helpers/llmStub';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inspectExample, launchChromium, readDashboard, signIn, waitForRefresh, type RenderedNode } from './editorSmoke';
import { adaptExample, createExampleWriteKey, exampleFiles, publishExamples, readExample, SUB_WORKFLOW_FILE, type ExampleWriteKey, type PublishedExample } from './exampleSet';
import { hasPublicationService, packPackage, provision, publicationStatus, publishWorkflow, shippedModuleVersion, startN8n, targetN8nVersion, type N8nInstance } from './n8nInstance';
import { BROWSER_SCOPE, describeIf, itIf, itOnPinnedN8n } from './versionScope';
import { FIRST_N8N_WITH_AI_NODE_SDK } from '../../nodes/OptimizedChatModel/actions/loadChatModelSupport';

const STUB_KEY = 'sk-e2e-stub-key-000111';

type Json = Record<string, any>;

/** Webhook -> Basic LLM Chain with the given model node under it: the smallest workflow that uses a chat model. */
function chainWithModel(name: string, path: string, webhookId: string, chainVersion: number, modelNode: Json) {
	return {
		name,
		nodes: [
			{ parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} }, id: 'c1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId },
			{ parameters: { promptType: 'define', text: '={{ $json.body.question }}' }, id: 'c2', name: 'Basic LLM Chain', type: '@n8n/n8n-nodes-langchain.chainLlm', typeVersion: chainVersion, position: [200, 0] },
			{ ...modelNode, id: 'c3', position: [200, 200] },
		],
		connections: {
			Webhook: { main: [[{ node: 'Basic LLM Chain', type: 'main', index: 0 }]] },
			[modelNode.name]: { ai_languageModel: [[{ node: 'Basic LLM Chain', type: 'ai_languageModel', index: 0 }]] },
		},
		settings: {},
	};
}

describe(`n8n-nodes-perf-optimizer and its examples inside a real n8n ${targetN8nVersion()}`, () => {
	let n8n: N8nInstance;
	let stub: LlmStub;
	let examples: Map<string, PublishedExample>;
	let writeKey: ExampleWriteKey;
	// Provisioned while the tests are collected: which of them can run depends on what this n8n ships.
	const tools = provision();
	/** Optimized Chat Model serves AI Agent and chains through n8n's own copy of the AI node SDK. */
	const shipsAiNodeSdk = shippedModuleVersion(tools.n8nBin, '@n8n/ai-node-sdk') !== undefined;
	const AGENT = 'agent-with-optimized-chat-model.json';
	// The Agent example uses AI Agent 3.1, which n8n releases without the SDK do not have either.
	const unpublishable = shipsAiNodeSdk ? [] : [AGENT];
	let aiCredential: { id: string; name: string };

	beforeAll(async () => {
		const tarball = packPackage();
		stub = await startLlmStub({ apiKey: STUB_KEY, latencyMs: 100 });
		n8n = await startN8n({ ...tools, tarball });
		const credential = await n8n.rest('POST', '/credentials', {
			name: 'Stub LLM',
			type: 'optimizedAiApi',
			data: { provider: 'openAiCompatible', baseUrl: stub.openAiBaseUrl, apiKey: STUB_KEY },
		});
		writeKey = await createExampleWriteKey(n8n);
		aiCredential = { id: credential.data.id, name: 'Stub LLM' };
		examples = await publishExamples(n8n, aiCredential, { writeKey, skipFiles: unpublishable });
	});

	afterAll(async () => {
		await n8n?.stop();
		await stub?.close();
	});

	const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; response: Response }> => {
		const response = await fetch(`${n8n.baseUrl}/webhook/${path}`, {
			method,
			headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const type = response.headers.get('content-type') ?? '';
		const text = type.includes('json') ? await response.text() : '';
		return { status: response.status, json: text ? JSON.parse(text) : undefined, response };
	};
	const post = (path: string, body: unknown) => call('POST', path, body);
	/** A request to a write route (template save, configure), with the examples' write key. */
	const postWithKey = (path: string, body: unknown) => call('POST', path, body, { [writeKey.header]: writeKey.value });

	it('loads all five node types and the three credential types', async () => {
		const nodes = (await n8n.getJson('/types/nodes.json')) as Json[];
		const names = new Set(nodes.map((node) => node.name));
		for (const name of ['batchWorkflowTrigger', 'optimizedAiCall', 'optimizedChatModel', 'perfMonitor', 'templatePopulate']) {
			expect(names.has(`n8n-nodes-perf-optimizer.${name}`)).toBe(true);
		}
		const credentials = (await n8n.getJson('/types/credentials.json')) as Json[];
		const credentialNames = new Set(credentials.map((credential) => credential.name));
		expect(credentialNames.has('optimizedAiApi')).toBe(true);
		expect(credentialNames.has('batchWebhookAuthApi')).toBe(true);
		expect(credentialNames.has('perfOptimizerRedisApi')).toBe(true);
	});

	it('publishes every example workflow', async () => {
		expect([...examples.keys()].sort()).toEqual(exampleFiles().filter((file) => !unpublishable.includes(file)));
		// Without the publication service, n8n 1.x refuses to activate a workflow without a trigger of its own (and calls
		// it as saved) while 2.0 activates it; the batch tests below show that both run it.
		const subWorkflowStatus = (await hasPublicationService(n8n)) ? 'published' : expect.stringMatching(/^(not_)?published$/);
		for (const example of examples.values()) {
			const expected = example.file === SUB_WORKFLOW_FILE ? subWorkflowStatus : 'published';
			expect({ file: example.file, status: await publicationStatus(n8n, example.id) }).toEqual({ file: example.file, status: expected });
		}
		const paths = [...examples.values()].flatMap((example) => example.webhooks.map((webhook) => webhook.path));
		expect(new Set(paths).size).toBe(paths.length);
	});

	it('serves the second identical AI call from the cache, and coalesces 20 concurrent identical calls into one', async () => {
		stub.reset();
		const first = await post('ai-call', { prompt: 'What is n8n?' });
		expect(first.status).toBe(200);
		expect(first.json).toMatchObject({ text: 'echo: What is n8n?', optimization: { cache: 'miss' } });
		const second = await post('ai-call', { prompt: 'What is n8n?' });
		expect(second.json.optimization.cache).toBe('hit');
		expect(stub.upstreamCalls()).toBe(1);

		const concurrent = await Promise.all(Array.from({ length: 20 }, () => post('ai-call', { prompt: 'Twenty at once' })));
		expect(concurrent.every((answer) => answer.status === 200 && answer.json.text === 'echo: Twenty at once')).toBe(true);
		expect(concurrent.filter((answer) => answer.json.optimization.cache === 'miss')).toHaveLength(1);
		expect(stub.upstreamCalls()).toBe(2);
	});

	it('answers bad AI input with a clear error and stays up', async () => {
		const bad = await post('ai-call', {});
		expect(bad.status).toBe(400);
		expect(bad.json).toEqual({ error: "Item 0: 'User Prompt' is empty" });
		const typed = await post('ai-call', { prompt: 12345 });
		expect(typed.json.text).toBe('echo: 12345');
		const object = await post('ai-call', { prompt: { text: 'hi' } });
		expect(object).toMatchObject({ status: 400, json: { error: "Item 0: 'User Prompt' must be text, got an object" } });
		const good = await post('ai-call', { prompt: 'Still there?' });
		expect(good.json.text).toBe('echo: Still there?');
	});

	it('keeps answering /healthz within a second while a 15 MB prompt without spaces is processed', async () => {
		// Before token counting was made linear, this request held n8n's event loop for good.
		let longestHealthMs = 0;
		let healthChecks = 0;
		let done = false;
		const poll = (async () => {
			while (!done) {
				const started = performance.now();
				const response = await fetch(`${n8n.baseUrl}/healthz`);
				await response.text();
				longestHealthMs = Math.max(longestHealthMs, performance.now() - started);
				healthChecks += 1;
				await new Promise((wait) => setTimeout(wait, 100));
			}
		})();
		const prompt = 'A'.repeat(15 * 1024 * 1024);
		const started = performance.now();
		const answer = await post('ai-call', { prompt });
		const answerMs = performance.now() - started;
		done = true;
		await poll;
		expect(answer.status).toBe(200);
		// Above 1 MiB a prompt skips the cache (and says why), so its 15 MB answer never enters memory or static data.
		expect(answer.json.optimization).toMatchObject({ cache: 'bypass', tokenCount: 'estimated', cacheBypassReason: expect.stringMatching(/above the cache's limit/) });
		expect(answer.json.text.length).toBe(prompt.length + 'echo: '.length);
		expect(healthChecks).toBeGreaterThan(Math.floor(answerMs / 1100));
		console.info(`15 MB prompt answered in ${Math.round(answerMs)} ms; /healthz answered ${healthChecks} times meanwhile, the slowest in ${Math.round(longestHealthMs)} ms`);
		expect(longestHealthMs).toBeLessThan(1000);
		const after = await post('ai-call', { prompt: 'Still answering after 15 MB?' });
		expect(after.json.text).toBe('echo: Still answering after 15 MB?');
	});

	itIf(
		!shipsAiNodeSdk,
		`answers a chain with Optimized Chat Model with its "needs n8n ${FIRST_N8N_WITH_AI_NODE_SDK} or later" on an n8n without @n8n/ai-node-sdk`,
		'this n8n ships @n8n/ai-node-sdk, so the Agent tests below run in full',
		async () => {
			const modelNode = adaptExample(readExample(AGENT), { credential: aiCredential, port: 0 }).nodes.find((node: Json) => node.name === 'Optimized Chat Model');
			// Basic LLM Chain 1.7: a root node every measured n8n release has.
			const id = await publishWorkflow(n8n, chainWithModel('Chain on an n8n without the AI node SDK', 'chain-without-sdk', 'cccccccc-1111-2222-3333-444444444444', 1.7, modelNode));
			const answer = await post('chain-without-sdk', { question: 'What is 2 * 3?' });
			expect(answer.status).toBeGreaterThanOrEqual(500);
			const listed = await n8n.rest('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: id }))}&limit=1`);
			const latest = (listed.data.results ?? listed.data)[0];
			const execution = await n8n.rest('GET', `/executions/${latest.id}`);
			expect(JSON.stringify(execution)).toContain(`Optimized Chat Model needs n8n ${FIRST_N8N_WITH_AI_NODE_SDK} or later`);
		},
	);

	describeIf(shipsAiNodeSdk, 'the AI Agent example with Optimized Chat Model', `it ships no @n8n/ai-node-sdk (n8n ${FIRST_N8N_WITH_AI_NODE_SDK} and later do)`, () => {
		/** The stub calls the example's Calculator for this question, then answers with the tool's result. */
		const scriptQuestion = (a: number, b: number) => {
			stub.script({ promptIncludes: `What is ${a} * ${b}?`, call: { name: 'Calculator', arguments: { input: `${a} * ${b}` } } });
			return { question: `What is ${a} * ${b}?`, product: String(a * b) };
		};
		const agentCalls = () => stub.requests.filter((request) => request.path === '/v1/chat/completions' && Array.isArray(request.body?.tools)).length;

		it('completes a run that calls the tool, then answers the same request again without any provider call', async () => {
			stub.reset();
			const { question, product } = scriptQuestion(17, 23);
			const first = await post('agent', { question });
			expect(first.status).toBe(200);
			expect(first.json.answer).toContain(product);
			expect(stub.toolCallsIssued()).toBe(1);
			// Step 1 offers the Calculator and gets a call to it; step 2 carries its result and gets the answer.
			expect(agentCalls()).toBe(2);
			const lastRequest = stub.requests[stub.requests.length - 1].body;
			expect(JSON.stringify(lastRequest.messages)).toContain(product);
			const second = await post('agent', { question });
			expect(second.json).toEqual(first.json);
			expect(stub.upstreamCalls()).toBe(2);
		});

		it('makes one provider call per agent step for 20 concurrent identical requests', async () => {
			stub.reset();
			const { question, product } = scriptQuestion(19, 21);
			const answers = await Promise.all(Array.from({ length: 20 }, () => post('agent', { question })));
			expect(answers.every((answer) => answer.status === 200 && String(answer.json.answer).includes(product))).toBe(true);
			expect(stub.upstreamCalls()).toBe(2);
		});

		it('still answers when the provider first refuses with 429 and Retry-After', async () => {
			stub.reset();
			const { question, product } = scriptQuestion(12, 12);
			stub.enqueue({ status: 429, headers: { 'retry-after': '1' } });
			const started = performance.now();
			const answer = await post('agent', { question });
			expect(answer.status).toBe(200);
			expect(answer.json.answer).toContain(product);
			expect(performance.now() - started).toBeGreaterThanOrEqual(950);
			expect(stub.upstreamCalls()).toBe(3);
		});

		it('streams the answer to the streaming webhook, from the provider and then from the cache', async () => {
			stub.reset();
			const { question, product } = scriptQuestion(31, 3);
			const streamed = async () => {
				const response = await fetch(`${n8n.baseUrl}/webhook/agent-stream`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ question }),
				});
				expect(response.status).toBe(200);
				const frames = (await response.text()).split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Json);
				return { frames, text: frames.filter((frame) => frame.type === 'item').map((frame) => frame.content).join('') };
			};
			const fresh = await streamed();
			expect(fresh.text).toContain(product);
			expect(fresh.frames[0].type).toBe('begin');
			expect(stub.requests.filter((request) => request.body?.stream === true)).toHaveLength(2);
			const replayed = await streamed();
			expect(replayed.text).toBe(fresh.text);
			expect(stub.upstreamCalls()).toBe(2);
		});

		it('serves a Basic LLM Chain as well, and its repeat from the cache', async () => {
			stub.reset();
			// The example's model node, as published with the stub's credential.
			const published = await n8n.rest('GET', `/workflows/${examples.get(AGENT)?.id}`);
			const modelNode = published.data.nodes.find((node: Json) => node.name === 'Optimized Chat Model');
			const chain = chainWithModel('Chain with Optimized Chat Model', 'chain', 'bbbbbbbb-1111-2222-3333-444444444444', 1.9, modelNode);
			await publishWorkflow(n8n, chain);
			const first = await post('chain', { question: 'Summarise n8n in five words.' });
			expect(first.status).toBe(200);
			expect(first.json.text).toBe('echo: Summarise n8n in five words.');
			const second = await post('chain', { question: 'Summarise n8n in five words.' });
			expect(second.json.text).toBe(first.json.text);
			expect(stub.upstreamCalls()).toBe(1);
		});

		it('shows its calls, tokens and cost in Perf Monitor', async () => {
			const metrics = await call('GET', 'get-optimization-metrics?minutes=60');
			const model = metrics.json.components.find(
				(component: Json) => component.workflowId === examples.get(AGENT)?.id && component.node === 'Optimized Chat Model',
			);
			// 2 + 2 (the repeat), 20 x 2, 2 (after one retry), 2 + 2 (the streamed repeat)
			expect(model).toMatchObject({ component: 'optimizedChatModel', calls: 50, errors: 0 });
			expect(model.tokens.in).toBeGreaterThan(0);
			expect(model.cost.usd).toBeGreaterThan(0);
			expect(model.cost.savedUsd).toBeGreaterThan(model.cost.usd);
		});
	});

	it('batches records into the sub-workflow and maps the results back in order', async () => {
		const items = Array.from({ length: 250 }, (_, index) => ({ value: index }));
		const fanOut = await post('batch-fanout', { items });
		expect(fanOut.json.map((item: Json) => item.value)).toEqual(items.map((item) => item.value));
		const subId = examples.get('batch-process-subworkflow.json')?.id;
		expect(fanOut.json.every((item: Json) => typeof item.processedAt === 'string' && item._batch.workflow === subId)).toBe(true);
		expect(new Set(fanOut.json.map((item: Json) => item._batch.index)).size).toBe(3);
	});

	it('clamps a request-controlled batch size and refuses more records than one request may carry', async () => {
		const items = Array.from({ length: 25 }, (_, index) => ({ value: index }));
		const negative = await post('optimize-workflow-performance', { items, batchSize: -1 });
		expect(negative.status).toBe(200);
		// At least 10 per batch: 25 records make 3 sub-executions, not 25.
		expect(new Set(negative.json.map((item: Json) => item._batch.index)).size).toBe(3);
		const tooMany = await post('batch-fanout', { items: Array.from({ length: 1001 }, (_, value) => ({ value })) });
		expect(tooMany).toMatchObject({ status: 400, json: { error: "'items' must be a list of 1 to 1000 records" } });
		const carrying = await post('batch-fanout', { items: [{ value: 1, _batchItem: 7 }] });
		expect(carrying.json[0]).toMatchObject({ errorClass: 'validation', error: expect.stringMatching(/no field '_batchItem'/) });
	});

	it('sends gzip batches to two webhook URLs of the same n8n and maps the results back to the right items', async () => {
		const items = Array.from({ length: 400 }, (_, index) => ({ value: index, note: `record ${index} `.repeat(10) }));
		const results = (await post('batch-fanout-webhooks', { items })).json as Json[];
		expect(results.map((item) => item.value)).toEqual(items.map((item) => item.value));
		expect(results.every((item) => item.processed === true && item._batch.endpoint.endsWith('/webhook/process-batch'))).toBe(true);
		expect(new Set(results.map((item) => item._batch.endpoint)).size).toBe(2);
		expect(new Set(results.map((item) => item._batch.index)).size).toBe(4);
	});

	it.each([
		['populate-template', 'save-template'],
		['optimize-template-processing', 'save-template-processing'],
	])(
		'saves library templates with the write key and populates them over /webhook/%s, with clear errors for bad input',
		async (path, savePath) => {
			const save = { save: { id: 'greeting', body: 'Hello {{first_name}}!', tags: ['demo'] } };
			expect((await call('POST', savePath, save)).status).toBeGreaterThanOrEqual(401);
			expect((await call('POST', savePath, save, { [writeKey.header]: 'wrong' })).status).toBe(403);
			const unauthenticated = await post(path, save);
			expect(unauthenticated).toMatchObject({ status: 401, json: { error: `Saving a template needs POST /webhook/${savePath} with the X-Api-Key header` } });
			const saved = await postWithKey(savePath, save);
			expect(saved.json).toMatchObject({ saved: true, id: 'greeting' });
			const filled = await post(path, { templateId: 'greeting', items: [{ firstName: 'Ada' }, { first_name: 'Bob' }] });
			expect(filled.json.map((item: Json) => item.text)).toEqual(['Hello Ada!', 'Hello Bob!']);
			const unknown = await post(path, { templateId: 'nope', items: [{ firstName: 'Ada' }] });
			expect(unknown.json[0].error).toBe("Item 0: no template with ID or name 'nope' in the workflow library");
			const missing = await post(path, { templateId: 'greeting', items: [{ lastName: 'Lovelace' }] });
			expect(missing.json[0].error).toMatch(/needs 'first_name'/);
			const malformed = await postWithKey(savePath, { save: { id: 'broken', body: 'Hello {{#if name}' } });
			expect(malformed.status).toBe(400);
			expect(malformed.json.error).toMatch(/^Item 0: .*line 1/i);
			const after = await post(path, { templateId: 'greeting', items: [{ firstName: 'Cy' }] });
			expect(after.json[0].text).toBe('Hello Cy!');
		},
	);

	describe('the Performance API example', () => {
		it('answers AI calls and batches on the original endpoints', async () => {
			stub.reset();
			const answer = await post('optimize-ai-calls', { prompt: 'Through the API' });
			expect(answer.json).toMatchObject({ text: 'echo: Through the API', optimization: { cache: 'miss' } });
			expect((await post('optimize-ai-calls', { prompt: 'Through the API' })).json.optimization.cache).toBe('hit');
			expect(stub.upstreamCalls()).toBe(1);
			const items = Array.from({ length: 25 }, (_, index) => ({ value: index }));
			const batched = await post('optimize-workflow-performance', { items, batchSize: 10 });
			expect(batched.json.map((item: Json) => item.value)).toEqual(items.map((item) => item.value));
			expect(new Set(batched.json.map((item: Json) => item._batch.index)).size).toBe(3);
		});

		it.each(['get-optimization-metrics', 'get-performance-bottlenecks', 'get-cache-statistics', 'monitor-system-performance', 'chart', 'dashboard'])(
			'answers an out-of-range window on /webhook/%s with a 400 and the message',
			async (path) => {
				for (const minutes of ['1441', '-5', '0.5']) {
					const answer = await call('GET', `${path}?minutes=${minutes}`);
					expect(answer).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^'Window \(Minutes\)' must be a whole number from 1 to 1440/) } });
				}
			},
		);

		it('reports metrics, bottlenecks, cache statistics and health for every workflow', async () => {
			const metrics = await call('GET', 'get-optimization-metrics?minutes=60');
			expect(metrics.status).toBe(200);
			// A call is one unit of work: an AI call, a dispatched batch, a populated item. Everything above ran in this window.
			const componentOf = (file: string, node: string) =>
				metrics.json.components.find((component: Json) => component.workflowId === examples.get(file)?.id && component.node === node);
			const counts = (file: string, node: string) => {
				const component = componentOf(file, node);
				return component && { calls: component.calls, items: component.items, errors: component.errors };
			};
			// 2 cached pair + 20 coalesced + 1 without a prompt + 1 number prompt + 1 object prompt + 1 more + 15 MB + 1 after it
			expect(counts('ai-call-with-cache.json', 'Optimized AI Call')).toEqual({ calls: 28, items: 28, errors: 2 });
			expect(counts('performance-api.json', 'Optimized AI Call')).toEqual({ calls: 2, items: 2, errors: 0 });
			// 250 items in batches of 100, 400 in batches of 100; through the API 25 in batches of 10, twice (one with a clamped batch size)
			expect(counts('batch-fanout-subworkflow.json', 'Batch Workflow Trigger')).toEqual({ calls: 3, items: 250, errors: 0 });
			expect(counts('batch-fanout-webhooks.json', 'Batch Workflow Trigger')).toEqual({ calls: 4, items: 400, errors: 0 });
			expect(counts('performance-api.json', 'Batch Workflow Trigger')).toEqual({ calls: 6, items: 50, errors: 0 });
			// 2 + 1 unknown template + 1 missing field + 1, per template workflow; saving records nothing
			expect(counts('template-population.json', 'Template Populate')).toEqual({ calls: 5, items: 5, errors: 2 });
			expect(counts('performance-api.json', 'Template Populate')).toEqual({ calls: 5, items: 5, errors: 2 });
			// Sub-operations stay visible in the breakdown, outside the calls.
			expect(componentOf('batch-fanout-subworkflow.json', 'Batch Workflow Trigger').operations).toMatchObject({
				dispatchSubWorkflow: { unitOfWork: true, calls: 3, items: 250 },
				queueWait: { unitOfWork: false, calls: 3 },
			});
			expect(componentOf('template-population.json', 'Template Populate').operations).toMatchObject({
				populate: { unitOfWork: true, calls: 5, errors: 2 },
				render: { unitOfWork: false, calls: 3 },
			});
			const bottlenecks = await call('GET', 'get-performance-bottlenecks');
			expect(bottlenecks.status).toBe(200);
			expect(bottlenecks.json.count).toBe(bottlenecks.json.bottlenecks.length);
			expect(bottlenecks.json.bottlenecks[0]).toMatchObject({ rank: 1 });
			const fanOut = bottlenecks.json.bottlenecks.find((row: Json) => row.workflowId === examples.get('batch-fanout-subworkflow.json')?.id);
			expect(fanOut.calls).toBe(3);
			const caches = await call('GET', 'get-cache-statistics');
			const apiCache = caches.json.caches.find((cache: Json) => cache.workflowId === examples.get('performance-api.json')?.id);
			expect(apiCache).toMatchObject({ entries: 1, window: { hits: 1, misses: 1 } });
			const health = await call('GET', 'monitor-system-performance');
			expect(health.json.score).toBeGreaterThanOrEqual(0);
			expect(health.json.score).toBeLessThanOrEqual(100);
		});

		it('stores settings, and rejects bad ones with a clear error', async () => {
			const rules = [{ metric: 'errorRate', comparator: '>', value: 0.05, windowMinutes: 5, severity: 'warning' }];
			expect((await post('configure-performance-settings', { latencySloMs: 900 })).status).toBeGreaterThanOrEqual(401);
			const saved = await postWithKey('configure-performance-settings', { latencySloMs: 800, alertRules: rules });
			expect(saved.json).toMatchObject({ saved: true, settings: { latencySloMs: 800 } });
			expect(saved.json.settings.alertRules).toHaveLength(1);
			const bad = await postWithKey('configure-performance-settings', { latencySloMs: -1 });
			expect(bad).toMatchObject({ status: 400, json: { error: "'Latency SLO (Ms)' must be a finite number above 0 to 86400000, got -1" } });
			const infinite = await postWithKey('configure-performance-settings', { latencySloMs: 'Infinity' });
			expect(infinite).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^'Latency SLO \(Ms\)' must be a finite number/) } });
			const health = await call('GET', 'monitor-system-performance');
			expect(health).toMatchObject({ status: 200, json: { latencySloMs: 800 } });
		});

		it('serves Prometheus text that parses, and a PNG chart', async () => {
			const metrics = await fetch(`${n8n.baseUrl}/webhook/metrics`);
			expect(metrics.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
			const parse = (await import('parse-prometheus-text-format')).default;
			const families = parse(await metrics.text());
			expect(families.some((family) => family.name === 'n8n_perf_process_resident_memory_bytes')).toBe(true);
			const calls = families.find((family) => family.name === 'n8n_perf_calls_total');
			expect(calls?.metrics.length).toBeGreaterThan(0);
			const chart = await fetch(`${n8n.baseUrl}/webhook/chart`);
			expect(chart.headers.get('content-type')).toBe('image/png');
			const png = Buffer.from(await chart.arrayBuffer());
			expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
			expect(png.readUInt32BE(16)).toBe(960);
			expect(png.readUInt32BE(20)).toBe(720);
		});

		itOnPinnedN8n('serves the live dashboard: a page in Chromium that shows the components that ran and refreshes with new figures', BROWSER_SCOPE, async () => {
			// Traffic of its own, so that the test also runs alone (-t dashboard).
			await post('optimize-ai-calls', { prompt: 'For the dashboard' });
			await post('optimize-template-processing', { templateId: 'welcome', items: [{ firstName: 'Ada' }] });
			await post('optimize-workflow-performance', { items: [{ value: 1 }, { value: 2 }], batchSize: 10 });
			const head = await fetch(`${n8n.baseUrl}/webhook/dashboard`);
			expect(head.status).toBe(200);
			expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8');
			expect(await head.text()).toMatch(/^<!DOCTYPE html>/);

			const browser = await launchChromium(mkdtempSync(join(tmpdir(), 'perf-optimizer-chromium-')));
			try {
				const page = await browser.newPage();
				await page.setViewportSize({ width: 1280, height: 1600 });
				const problems: string[] = [];
				page.on('console', (message) => {
					if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
				});
				page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
				const dashboardUrl = `${n8n.baseUrl}/webhook/dashboard?minutes=60&refresh=2`;
				// The page loads nothing but itself: no script, style sheet, font or image from anywhere.
				const requested: string[] = [];
				page.on('request', (request) => requested.push(request.url()));
				await page.goto(dashboardUrl);
				const first = await readDashboard(page);
				const apiId = examples.get('performance-api.json')?.id;
				expect(apiId).toBeDefined();
				const kinds = new Set(first.components.map((row) => row.component));
				for (const kind of ['optimizedAiCall', 'batchWorkflowTrigger', 'templatePopulate']) expect(kinds).toContain(kind);
				expect(first.components.map((row) => row.node)).toEqual(expect.arrayContaining(['Optimized AI Call', 'Batch Workflow Trigger', 'Template Populate']));
				expect(await page.locator('svg').count()).toBeGreaterThan(0);

				await post('optimize-ai-calls', { prompt: 'Another one while the dashboard is open' });
				const refreshed = await waitForRefresh(page, (view) => view.totalCalls !== first.totalCalls);
				expect(Number(refreshed.totalCalls.replace(/,/g, ''))).toBeGreaterThan(Number(first.totalCalls.replace(/,/g, '')));
				expect(refreshed.generatedAt).not.toBe(first.generatedAt);
				expect(new Set(requested)).toEqual(new Set([dashboardUrl]));
				expect(problems).toEqual([]);

				// SAVE_SCREENSHOTS=1 refreshes the picture README shows.
				if (process.env.SAVE_SCREENSHOTS === '1') {
					await page.screenshot({ path: resolve(__dirname, '..', '..', 'docs', 'images', 'dashboard.png'), fullPage: true });
				}
			} finally {
				await browser.close();
			}
		});
	});

	itOnPinnedN8n('renders every example in the editor of a real browser, with our icons and parameter panels', BROWSER_SCOPE, async () => {
		// SAVE_SCREENSHOTS=1 refreshes the pictures README shows; other runs keep theirs out of the clone.
		const folder = process.env.SAVE_SCREENSHOTS === '1' ? resolve(__dirname, '..', '..', 'docs', 'images') : mkdtempSync(join(tmpdir(), 'perf-optimizer-shots-'));
		const browser = await launchChromium(mkdtempSync(join(tmpdir(), 'perf-optimizer-chromium-')));
		try {
			const page = await browser.newPage();
			await signIn(page, n8n);
			const screenshots = { folder, panelsTaken: new Set<string>() };
			const rendered: RenderedNode[] = [];
			for (const example of examples.values()) rendered.push(...(await inspectExample(page, n8n, example, screenshots)));
			expect(rendered).toHaveLength(24);
			expect(new Set(rendered.map((node) => node.type))).toEqual(new Set(['optimizedAiCall', 'optimizedChatModel', 'batchWorkflowTrigger', 'templatePopulate', 'perfMonitor']));
			for (const node of rendered) {
				expect({ node: node.node, icon: node.iconUrl }).toEqual({ node: node.node, icon: expect.stringMatching(/\/icons\/n8n-nodes-perf-optimizer\/dist\/nodes\/\w+\/\w+\.svg$/) });
				expect(node.iconWidth).toBeGreaterThan(0);
				expect(node.parameterCount).toBeGreaterThan(0);
				expect({ node: node.node, hasStateBackend: node.hasStateBackend }).toEqual({ node: node.node, hasStateBackend: true });
			}
		} finally {
			await browser.close();
		}
	});

	const monitored = {
		name: 'Monitored work',
		nodes: [
			{ parameters: { httpMethod: 'POST', path: 'monitored', responseMode: 'lastNode', options: {} }, id: 'w1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'aaaaaaaa-1111-2222-3333-444444444444' },
			// Counts saved with every execution (Metrics Flush Interval 0), so a restart loses none; with the default
			// (60 s) a restart may lose up to the last minute of counts, never a cached answer (README, State).
			{ parameters: { operation: 'spanStart', spanName: 'work', metricsFlushSeconds: 0 }, id: 'w2', name: 'Begin', type: 'n8n-nodes-perf-optimizer.perfMonitor', typeVersion: 1, position: [200, 0] },
			{ parameters: { operation: 'spanEnd', spanName: 'work', metricsFlushSeconds: 0 }, id: 'w3', name: 'Finish', type: 'n8n-nodes-perf-optimizer.perfMonitor', typeVersion: 1, position: [400, 0] },
			{ parameters: { operation: 'getMetrics', window: 60, outputMode: 'perComponent' }, id: 'w4', name: 'Report', type: 'n8n-nodes-perf-optimizer.perfMonitor', typeVersion: 1, position: [600, 0] },
		],
		connections: {
			Webhook: { main: [[{ node: 'Begin', type: 'main', index: 0 }]] },
			Begin: { main: [[{ node: 'Finish', type: 'main', index: 0 }]] },
			Finish: { main: [[{ node: 'Report', type: 'main', index: 0 }]] },
		},
		settings: {},
	};

	it('counts every one of 20 concurrent executions, where plain static data would keep one', async () => {
		await publishWorkflow(n8n, monitored);
		await Promise.all(Array.from({ length: 20 }, () => post('monitored', {})));
		const report = (await post('monitored', {})).json;
		expect(report).toMatchObject({ node: 'work', component: 'perfMonitor', calls: 21 });
	});

	it('keeps caches and metric totals across a restart of n8n on the same user folder', async () => {
		await n8n.restart();
		stub.reset();
		const afterRestart = await post('ai-call', { prompt: 'What is n8n?' });
		expect(afterRestart.json.optimization.cache).toBe('hit');
		expect(stub.upstreamCalls()).toBe(0);
		expect((await post('monitored', {})).json.calls).toBe(22);
		const filled = await post('populate-template', { templateId: 'greeting', items: [{ firstName: 'Dee' }] });
		expect(filled.json[0].text).toBe('Hello Dee!');
	});
});
