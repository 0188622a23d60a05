import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The workflows of the n8n-overhead bench: the same webhook shape with n8n's Set node, with our AI example, and a Perf Monitor. */
const webhook = (path: string) => ({
	id: 'w',
	name: 'Webhook',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId: `bench-${path}`,
	parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} },
});

/**
 * How Respond to Webhook answers: with the item as it is (as the AI example does), or with the expression
 * `={{ $json }}` (OVERHEAD_RESPOND=expression), which n8n evaluates in its sandbox, reading every field of the item.
 */
const RESPOND_WITH_EXPRESSION = process.env.OVERHEAD_RESPOND === 'expression';
const respondParameters = () =>
	RESPOND_WITH_EXPRESSION ? { respondWith: 'json', responseBody: '={{ $json }}', options: {} } : { respondWith: 'firstIncomingItem', options: {} };

const respond = {
	id: 'r',
	name: 'Respond to Webhook',
	type: 'n8n-nodes-base.respondToWebhook',
	typeVersion: 1.1,
	position: [400, 0],
	parameters: respondParameters(),
};

const chain = (...names: string[]) =>
	Object.fromEntries(names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]));

/** Webhook -> Set -> Respond: what n8n costs per execution without our nodes. */
export function setWorkflow(path: string) {
	const set = {
		id: 's',
		name: 'Set',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [200, 0],
		parameters: {
			mode: 'manual',
			assignments: { assignments: [{ id: 'text', name: 'text', value: '={{ "echo: " + $json.body.prompt }}', type: 'string' }] },
			options: {},
		},
	};
	return { name: 'Bench: Set', nodes: [webhook(path), set, respond], connections: chain('Webhook', 'Set', 'Respond to Webhook') };
}

/** The shipped AI example (examples/ai-call-with-cache.json) on its own path, with the stub's credential. */
export function aiExampleWorkflow(path: string, credential: { id: string; name: string }) {
	const workflow = JSON.parse(readFileSync(join(__dirname, '..', 'examples', 'ai-call-with-cache.json'), 'utf8'));
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.webhook') {
			node.parameters.path = path;
			node.webhookId = `bench-${path}`;
		}
		if (node.credentials?.optimizedAiApi) node.credentials.optimizedAiApi = credential;
		if (node.name === 'Respond to Webhook') node.parameters = respondParameters();
	}
	return { name: 'Bench: AI example', nodes: workflow.nodes, connections: workflow.connections, settings: workflow.settings };
}

/** Webhook -> Perf Monitor (Get Metrics, all workflows) -> Respond: reads what persisting cost, per workflow. */
export function monitorWorkflow(path: string) {
	const monitor = {
		id: 'm',
		name: 'Perf Monitor',
		type: 'n8n-nodes-perf-optimizer.perfMonitor',
		typeVersion: 1,
		position: [200, 0],
		parameters: { operation: 'getMetrics', scope: 'all' },
	};
	return { name: 'Bench: monitor', nodes: [webhook(path), monitor, respond], connections: chain('Webhook', 'Perf Monitor', 'Respond to Webhook') };
}
