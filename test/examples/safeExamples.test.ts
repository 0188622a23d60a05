import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

type Json = Record<string, any>;

const EXAMPLES = resolve(__dirname, '..', '..', 'examples');
const OURS = 'n8n-nodes-perf-optimizer.';
const WEBHOOK = 'n8n-nodes-base.webhook';
const RESPOND = 'n8n-nodes-base.respondToWebhook';
/** Operations that change what later callers see. */
const WRITES = new Set(['saveTemplate', 'deleteTemplate', 'configure', 'reset']);

const examples = readdirSync(EXAMPLES)
	.filter((file) => file.endsWith('.json'))
	.map((file) => ({ file, workflow: JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Json }))
	// The Grafana dashboard is not a workflow (grafanaDashboard.test.ts checks it).
	.filter(({ workflow }) => Array.isArray(workflow.nodes));

function byName(workflow: Json, name: string): Json {
	return workflow.nodes.find((node: Json) => node.name === name);
}

/** Names of the nodes connected to output `output` of `name`. */
function next(workflow: Json, name: string, output = 0): string[] {
	return (workflow.connections[name]?.main?.[output] ?? []).map((connection: Json) => connection.node);
}

/** The webhook nodes from which `target` can be reached. */
function webhooksReaching(workflow: Json, target: string): Json[] {
	return workflow.nodes.filter((node: Json) => {
		if (node.type !== WEBHOOK) return false;
		const seen = new Set<string>();
		const queue = [node.name];
		while (queue.length > 0) {
			const name = queue.shift()!;
			if (name === target) return true;
			if (seen.has(name)) continue;
			seen.add(name);
			for (const outputs of workflow.connections[name]?.main ?? []) queue.push(...outputs.map((connection: Json) => connection.node));
		}
		return false;
	});
}

describe.each(examples)('example $file', ({ workflow }) => {
	const ours = workflow.nodes.filter((node: Json) => node.type.startsWith(OURS));

	it('puts every route that changes state behind header authentication with a credential', () => {
		for (const node of ours.filter((candidate: Json) => WRITES.has(candidate.parameters.operation))) {
			for (const webhook of webhooksReaching(workflow, node.name)) {
				expect({ route: webhook.parameters.path, authentication: webhook.parameters.authentication, credential: webhook.credentials?.httpHeaderAuth?.name }).toEqual({
					route: webhook.parameters.path,
					authentication: 'headerAuth',
					credential: 'Perf Optimizer Write Key',
				});
			}
		}
	});

	it('answers a node error behind a webhook with a 4xx JSON error, never a bare 500', () => {
		for (const node of ours.filter((candidate: Json) => webhooksReaching(workflow, candidate.name).length > 0)) {
			expect({ node: node.name, onError: node.onError }).toEqual({ node: node.name, onError: expect.stringMatching(/^continue(ErrorOutput|RegularOutput)$/) });
			if (node.onError !== 'continueErrorOutput') continue;
			const errorOutput = node.parameters.operation === 'checkAlerts' ? 2 : 1;
			const responders = next(workflow, node.name, errorOutput).map((name) => byName(workflow, name));
			expect(responders.length).toBeGreaterThan(0);
			for (const responder of responders) {
				expect(responder.type).toBe(RESPOND);
				expect(responder.parameters).toMatchObject({ respondWith: 'json', responseBody: expect.stringContaining('$json.error') });
				expect(responder.parameters.options.responseCode).toBeGreaterThanOrEqual(400);
				expect(responder.parameters.options.responseCode).toBeLessThan(500);
			}
		}
	});

	it('checks the number of records a request brings before splitting them into items', () => {
		for (const split of workflow.nodes.filter((node: Json) => node.type === 'n8n-nodes-base.splitOut')) {
			for (const webhook of webhooksReaching(workflow, split.name)) {
				if (webhook.parameters.path === 'process-batch') continue; // Receives batches the Batch Workflow Trigger already sized.
				const checks = workflow.nodes.filter((node: Json) => node.type === 'n8n-nodes-base.if' && next(workflow, node.name, 0).includes(split.name));
				expect({ split: split.name, checks: checks.length }).toEqual({ split: split.name, checks: 1 });
				expect(JSON.stringify(checks[0].parameters)).toContain('$json.body.items.length <= 1000');
			}
		}
	});
});

describe('request-controlled batch sizes', () => {
	const expressions = examples.flatMap(({ workflow }) =>
		workflow.nodes
			.filter((node: Json) => node.type === `${OURS}batchWorkflowTrigger` && String(node.parameters.batchSize).startsWith('='))
			.map((node: Json) => String(node.parameters.batchSize)),
	);

	it.each([
		[-1, 10],
		[1.5, 10],
		[1, 10],
		[1e20, 1000],
		['abc', 100],
		[undefined, 100],
		[250, 250],
	])('batchSize %p from the request becomes %p', (requested, expected) => {
		expect(expressions.length).toBeGreaterThan(0);
		for (const expression of expressions) {
			// Evaluates the expression's JavaScript with the webhook's body as n8n would hand it over.
			const body = expression.replace(/^=\{\{\s*/, '').replace(/\s*\}\}$/, '').replace(/\$\('[^']+'\)\.first\(\)\.json\.body/g, 'body');
			const evaluate = new Function('body', `return ${body};`) as (body: Json) => number;
			expect(evaluate({ batchSize: requested })).toBe(expected);
		}
	});
});
