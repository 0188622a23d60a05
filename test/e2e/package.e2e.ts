import { startLlmStub, type LlmStub } from '../helpers/llmStub';
import { packPackage, provision, publishExample, publishWorkflow, startN8n, type N8nInstance } from './n8nInstance';

const STUB_KEY = 'sk-e2e-stub-key-000111';

type Json = Record<string, any>;

describe('n8n-nodes-perf-optimizer inside a real n8n 2.40.7', () => {
	let n8n: N8nInstance;
	let stub: LlmStub;
	let credentialId: string;

	beforeAll(async () => {
		const tools = provision();
		const tarball = packPackage();
		stub = await startLlmStub({ apiKey: STUB_KEY, latencyMs: 100 });
		n8n = await startN8n({ ...tools, tarball });
		const credential = await n8n.rest('POST', '/credentials', {
			name: 'Stub LLM',
			type: 'optimizedAiApi',
			data: { provider: 'openAiCompatible', baseUrl: stub.openAiBaseUrl, apiKey: STUB_KEY },
		});
		credentialId = credential.data.id;
	});

	afterAll(async () => {
		await n8n?.stop();
		await stub?.close();
	});

	const withCredential = (workflow: Json) => {
		for (const node of workflow.nodes) if (node.credentials?.optimizedAiApi) node.credentials.optimizedAiApi = { id: credentialId, name: 'Stub LLM' };
		return workflow;
	};

	const callWebhook = async (path: string, body: unknown): Promise<{ status: number; json: any }> => {
		const response = await fetch(`${n8n.baseUrl}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		const text = await response.text();
		return { status: response.status, json: text ? JSON.parse(text) : undefined };
	};

	it('loads all four node types and both credential types', async () => {
		const nodes = (await n8n.getJson('/types/nodes.json')) as Json[];
		const names = new Set(nodes.map((node) => node.name));
		for (const name of ['batchWorkflowTrigger', 'optimizedAiCall', 'perfMonitor', 'templatePopulate']) {
			expect(names.has(`n8n-nodes-perf-optimizer.${name}`)).toBe(true);
		}
		const credentials = (await n8n.getJson('/types/credentials.json')) as Json[];
		const credentialNames = new Set(credentials.map((credential) => credential.name));
		expect(credentialNames.has('optimizedAiApi')).toBe(true);
		expect(credentialNames.has('batchWebhookAuthApi')).toBe(true);
	});

	it('serves the second identical AI call from the cache, and coalesces 20 concurrent identical calls into one', async () => {
		await publishExample(n8n, 'ai-call-with-cache.json', withCredential);
		stub.reset();
		const first = await callWebhook('optimize-ai-calls', { prompt: 'What is n8n?' });
		expect(first.status).toBe(200);
		expect(first.json).toMatchObject({ text: 'echo: What is n8n?', optimization: { cache: 'miss' } });
		const second = await callWebhook('optimize-ai-calls', { prompt: 'What is n8n?' });
		expect(second.json.optimization.cache).toBe('hit');
		expect(stub.upstreamCalls()).toBe(1);

		const concurrent = await Promise.all(Array.from({ length: 20 }, () => callWebhook('optimize-ai-calls', { prompt: 'Twenty at once' })));
		expect(concurrent.every((answer) => answer.status === 200 && answer.json.text === 'echo: Twenty at once')).toBe(true);
		expect(stub.upstreamCalls()).toBe(2);
	});

	it('keeps the cache across a restart of n8n on the same user folder', async () => {
		await n8n.restart();
		stub.reset();
		const afterRestart = await callWebhook('optimize-ai-calls', { prompt: 'What is n8n?' });
		expect(afterRestart.json.optimization.cache).toBe('hit');
		expect(stub.upstreamCalls()).toBe(0);
	});

	it('answers bad input with a clear error and stays up', async () => {
		const bad = await callWebhook('optimize-ai-calls', {});
		expect(bad.status).toBe(200);
		expect(bad.json.error).toMatch(/User Prompt' is empty/);
		const good = await callWebhook('optimize-ai-calls', { prompt: 'Still there?' });
		expect(good.json.text).toBe('echo: Still there?');
	});
});

describe('Perf Monitor and Template Populate inside a real n8n 2.40.7', () => {
	let n8n: N8nInstance;
	let stub: LlmStub;

	beforeAll(async () => {
		const tools = provision();
		stub = await startLlmStub({ apiKey: STUB_KEY, latencyMs: 20 });
		n8n = await startN8n({ ...tools, tarball: packPackage() });
	});

	afterAll(async () => {
		await n8n?.stop();
		await stub?.close();
	});

	it('counts every one of 20 concurrent executions, where plain static data would keep one', async () => {
		const probe = {
			name: 'Monitored work',
			nodes: [
				{ parameters: { httpMethod: 'POST', path: 'monitored', responseMode: 'lastNode', options: {} }, id: 'w1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'aaaaaaaa-1111-2222-3333-444444444444' },
				{ parameters: { operation: 'spanStart', spanName: 'work' }, id: 'w2', name: 'Begin', type: 'n8n-nodes-perf-optimizer.perfMonitor', typeVersion: 1, position: [200, 0] },
				{ parameters: { operation: 'spanEnd', spanName: 'work' }, id: 'w3', name: 'Finish', type: 'n8n-nodes-perf-optimizer.perfMonitor', typeVersion: 1, position: [400, 0] },
				{ parameters: { operation: 'getMetrics', window: 60, outputMode: 'perComponent' }, id: 'w4', name: 'Report', type: 'n8n-nodes-perf-optimizer.perfMonitor', typeVersion: 1, position: [600, 0] },
			],
			connections: {
				Webhook: { main: [[{ node: 'Begin', type: 'main', index: 0 }]] },
				Begin: { main: [[{ node: 'Finish', type: 'main', index: 0 }]] },
				Finish: { main: [[{ node: 'Report', type: 'main', index: 0 }]] },
			},
			settings: {},
		};
		await publishWorkflow(n8n, probe);
		const call = async () => (await fetch(`${n8n.baseUrl}/webhook/monitored`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
		await Promise.all(Array.from({ length: 20 }, call));
		const report = (await call()) as Json;
		expect(report).toMatchObject({ node: 'work', component: 'perfMonitor', calls: 21 });
		// After a restart, the persisted totals come back from static data.
		await n8n.restart();
		const afterRestart = (await call()) as Json;
		expect(afterRestart.calls).toBe(22);
	});

	it('populates a template from the workflow library over a webhook, with clear errors for unknown ids', async () => {
		const save = {
			name: 'Save templates',
			nodes: [
				{ parameters: { httpMethod: 'POST', path: 'save-template', responseMode: 'lastNode', options: {} }, id: 's1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'bbbbbbbb-1111-2222-3333-444444444444' },
				{
					parameters: { operation: 'saveTemplate', saveId: '={{ $json.body.id }}', saveBody: '={{ $json.body.body }}', saveFormat: 'text' },
					id: 's2',
					name: 'Template Populate',
					type: 'n8n-nodes-perf-optimizer.templatePopulate',
					typeVersion: 1,
					position: [200, 0],
				},
			],
			connections: { Webhook: { main: [[{ node: 'Template Populate', type: 'main', index: 0 }]] } },
			settings: {},
		};
		// The library lives in the state of the workflow that uses it: save and populate from one workflow.
		const workflowId = await publishExample(n8n, 'template-population.json', (workflow) => {
			const [webhook, split, populate, respond] = workflow.nodes;
			populate.parameters.templateId = "={{ $('Webhook').item.json.body.templateId }}";
			const saver = { ...save.nodes[1], name: 'Save', position: [440, 200], parameters: { ...save.nodes[1].parameters, saveId: "={{ $('Webhook').item.json.body.save.id }}", saveBody: "={{ $('Webhook').item.json.body.save.body }}" } };
			const route = { parameters: { conditions: { options: { caseSensitive: true, leftValue: '', typeValidation: 'loose' }, conditions: [{ id: 'c1', leftValue: '={{ $json.body.save !== undefined }}', rightValue: true, operator: { type: 'boolean', operation: 'true', singleValue: true } }], combinator: 'and' }, options: {} }, id: 'r1', name: 'Is Save', type: 'n8n-nodes-base.if', typeVersion: 2.2, position: [110, 0] };
			workflow.nodes = [webhook, route, split, populate, respond, saver];
			workflow.connections = {
				Webhook: { main: [[{ node: 'Is Save', type: 'main', index: 0 }]] },
				'Is Save': { main: [[{ node: 'Save', type: 'main', index: 0 }], [{ node: split.name, type: 'main', index: 0 }]] },
				[split.name]: { main: [[{ node: populate.name, type: 'main', index: 0 }]] },
				[populate.name]: { main: [[{ node: respond.name, type: 'main', index: 0 }]] },
				Save: { main: [[{ node: respond.name, type: 'main', index: 0 }]] },
			};
			return workflow;
		});
		expect(workflowId).toBeTruthy();
		const post = async (body: unknown) => {
			const response = await fetch(`${n8n.baseUrl}/webhook/optimize-template-processing`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			return { status: response.status, json: (await response.json()) as any };
		};
		const saved = await post({ save: { id: 'greeting', body: 'Hello {{first_name}}!' } });
		expect(saved.json[0]).toMatchObject({ saved: true, id: 'greeting' });
		const filled = await post({ templateId: 'greeting', items: [{ firstName: 'Ada' }, { first_name: 'Bob' }] });
		expect(filled.json.map((item: Json) => item.text)).toEqual(['Hello Ada!', 'Hello Bob!']);
		const unknown = await post({ templateId: 'nope', items: [{ firstName: 'Ada' }] });
		expect(unknown.json[0].error).toBe("Item 0: no template with ID or name 'nope' in the workflow library");
		const missing = await post({ templateId: 'greeting', items: [{ lastName: 'Lovelace' }] });
		expect(missing.json[0].error).toMatch(/needs 'first_name'/);
	});
});

describe('Batch Workflow Trigger inside a real n8n 2.40.7', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await startN8n({ ...provision(), tarball: packPackage() });
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	const fanOut = (parameters: Json, path: string) => ({
		name: `Fan out ${path}`,
		nodes: [
			{ parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} }, id: 'f1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `cccccccc-1111-2222-3333-${path.length.toString().padStart(12, '0')}` },
			{ parameters: { fieldToSplitOut: 'body.items', options: {} }, id: 'f2', name: 'Split', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [200, 0] },
			{ parameters, id: 'f3', name: 'Batch', type: 'n8n-nodes-perf-optimizer.batchWorkflowTrigger', typeVersion: 1, position: [400, 0] },
			{ parameters: { respondWith: 'allIncomingItems', options: {} }, id: 'f4', name: 'Respond', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, position: [600, 0] },
		],
		connections: {
			Webhook: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: 'Batch', type: 'main', index: 0 }]] },
			Batch: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
		},
		settings: {},
	});

	const post = async (path: string, body: unknown) =>
		(await (await fetch(`${n8n.baseUrl}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as Json[];

	it('sends gzip batches to a webhook of the same n8n and maps the results back to the right items', async () => {
		await publishExample(n8n, 'batch-receiver-webhook.json');
		await publishWorkflow(n8n, fanOut({ target: 'webhook', webhookUrls: `${n8n.baseUrl}/webhook/process-batch`, batchSize: 25, maxInFlight: 2, options: { gzipThresholdBytes: 256 } }, 'fan-out-webhook'));
		const items = Array.from({ length: 100 }, (_, index) => ({ value: index, note: `record ${index} `.repeat(10) }));
		const results = await post('fan-out-webhook', { items });
		expect(results.map((item) => item.value)).toEqual(items.map((item) => item.value));
		expect(results.every((item) => item.processed === true && item._batch.endpoint.endsWith('/webhook/process-batch'))).toBe(true);
		expect(new Set(results.map((item) => item._batch.index)).size).toBe(4);
	});

	it('runs a published sub-workflow once per batch', async () => {
		const subId = await publishExample(n8n, 'batch-process-subworkflow.json');
		await publishWorkflow(n8n, fanOut({ target: 'subWorkflow', workflowId: { __rl: true, mode: 'id', value: subId }, batchSize: 10, maxInFlight: 3 }, 'fan-out-sub'));
		const items = Array.from({ length: 30 }, (_, index) => ({ value: index }));
		const results = await post('fan-out-sub', { items });
		expect(results.map((item) => item.value)).toEqual(items.map((item) => item.value));
		expect(results.every((item) => typeof item.processedAt === 'string' && item._batch.workflow === subId)).toBe(true);
	});
});

describe('Perf Monitor endpoints inside a real n8n 2.40.7', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await startN8n({ ...provision(), tarball: packPackage() });
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	const endpoint = (path: string, monitor: Json, respond: Json) => ({
		name: `Endpoint ${path}`,
		nodes: [
			{ parameters: { httpMethod: 'GET', path, responseMode: 'responseNode', options: {} }, id: 'e1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `dddddddd-1111-2222-3333-${String(path.length).padStart(12, '0')}` },
			{ parameters: monitor, id: 'e2', name: 'Monitor', type: 'n8n-nodes-perf-optimizer.perfMonitor', typeVersion: 1, position: [200, 0] },
			{ parameters: respond, id: 'e3', name: 'Respond', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, position: [400, 0] },
		],
		connections: { Webhook: { main: [[{ node: 'Monitor', type: 'main', index: 0 }]] }, Monitor: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] } },
		settings: {},
	});

	it('serves Prometheus text that parses, and a PNG chart', async () => {
		await publishWorkflow(n8n, 
			endpoint('metrics', { operation: 'exportPrometheus', scope: 'all' }, {
				respondWith: 'text',
				responseBody: '={{ $json.text }}',
				options: { responseHeaders: { entries: [{ name: 'content-type', value: '={{ $json.contentType }}' }] } },
			}),
		);
		await publishWorkflow(n8n, endpoint('chart', { operation: 'renderChart', scope: 'all', window: 60 }, { respondWith: 'binary', options: {} }));
		const metrics = await fetch(`${n8n.baseUrl}/webhook/metrics`);
		expect(metrics.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
		const parse = (await import('parse-prometheus-text-format')).default;
		const families = parse(await metrics.text());
		expect(families.some((family) => family.name === 'n8n_perf_process_resident_memory_bytes')).toBe(true);
		const chart = await fetch(`${n8n.baseUrl}/webhook/chart`);
		const png = Buffer.from(await chart.arrayBuffer());
		expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
		expect(png.readUInt32BE(16)).toBe(960);
		expect(png.readUInt32BE(20)).toBe(720);
	});
});
