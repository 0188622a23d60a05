import { randomUUID } from 'node:crypto';

/**
 * The workflows the n8n benchmark publishes. Every measured workflow is Webhook (POST, answers with all items of
 * the last node) → Split Out (`body.items`) → the setup under test, so all setups of a comparison receive the same
 * items the same way and differ only in the last node(s).
 */

type Node = Record<string, unknown> & { name: string };
export interface WorkflowDefinition {
	name: string;
	nodes: Node[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

export interface CredentialReference {
	id: string;
	name: string;
}

const main = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });

/** Webhook → Split Out → `steps` in a line; `extra` nodes hang off them (e.g. a chat model). */
export function benchWorkflow(name: string, path: string, steps: Node[], extra: { nodes?: Node[]; connections?: Record<string, unknown> } = {}): WorkflowDefinition {
	const head: Node[] = [
		{
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		},
		{ name: 'Items', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [200, 0], parameters: { fieldToSplitOut: 'body.items', options: {} } },
	];
	const line = [...head, ...steps.map((step, index) => ({ position: [400 + index * 200, 0], ...step }))];
	const connections: Record<string, unknown> = { ...extra.connections };
	for (let index = 0; index + 1 < line.length; index++) connections[line[index].name] = main(line[index + 1].name);
	return { name, nodes: [...line, ...(extra.nodes ?? [])], connections };
}

// Sub-workflow fan-out ---------------------------------------------------------------------------------------

const subWorkflowTrigger: Node = {
	name: 'Start',
	type: 'n8n-nodes-base.executeWorkflowTrigger',
	typeVersion: 1.1,
	position: [0, 0],
	parameters: { inputSource: 'passthrough' },
};

/** The cheap sub-workflow: one Set node that adds a field to each item. */
export function trivialSubWorkflow(): WorkflowDefinition {
	return {
		name: 'Bench sub: Set',
		nodes: [
			subWorkflowTrigger,
			{
				name: 'Mark',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: { mode: 'manual', includeOtherFields: true, assignments: { assignments: [{ id: 'm1', name: 'processed', value: true, type: 'boolean' }] }, options: {} },
			},
		],
		connections: { Start: main('Mark') },
	};
}

/**
 * The I/O-bound sub-workflow: one HTTP Request per execution that posts all the execution's items to the
 * receiver's `/work` (1 ms per item) and returns its answer, one item per item sent.
 */
export function ioBoundSubWorkflow(receiverUrl: string): WorkflowDefinition {
	return {
		name: 'Bench sub: HTTP Request per batch',
		nodes: [
			subWorkflowTrigger,
			{
				name: 'Post Batch',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [200, 0],
				executeOnce: true,
				parameters: {
					method: 'POST',
					url: `${receiverUrl}/work`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify($input.all().map((item) => item.json)) }}',
					options: {},
				},
			},
		],
		connections: { Start: main('Post Batch') },
	};
}

export function executeWorkflowNode(subWorkflowId: string, mode: 'each' | 'once'): Node {
	return {
		name: 'Execute Workflow',
		type: 'n8n-nodes-base.executeWorkflow',
		typeVersion: 1.2,
		parameters: { source: 'database', workflowId: { __rl: true, mode: 'id', value: subWorkflowId }, mode, options: { waitForSubWorkflow: true } },
	};
}

export function batchWorkflowTriggerNode(parameters: Record<string, unknown>): Node {
	return { name: 'Batch Workflow Trigger', type: 'n8n-nodes-perf-optimizer.batchWorkflowTrigger', typeVersion: 1, parameters };
}

// LLM calls -----------------------------------------------------------------------------------------------------

export const MODEL = 'gpt-4o-mini';

/** An HTTP Request node that POSTs `jsonBody` to `url`; `batching` at 0 ms interval sends every item at once. */
function httpPostNode(url: string, jsonBody: string, extra: Record<string, unknown> = {}): Node {
	return {
		name: 'HTTP Request',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: { method: 'POST', url, sendBody: true, specifyBody: 'json', jsonBody, options: { batching: { batch: { batchSize: 2000, batchInterval: 0 } } }, ...extra },
	};
}

/** HTTP Request straight to the chat completions endpoint. */
export function httpRequestLlmNode(stubUrl: string, apiKey: string): Node {
	return httpPostNode(
		`${stubUrl}/v1/chat/completions`,
		`={{ JSON.stringify({ model: '${MODEL}', temperature: 0, messages: [{ role: 'user', content: $json.prompt }] }) }}`,
		{ sendHeaders: true, headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${apiKey}` }] } },
	);
}

/** n8n's OpenAI node, Message a Model (Chat Completions). */
export function openAiNode(credential: CredentialReference): Node {
	return {
		name: 'OpenAI',
		type: '@n8n/n8n-nodes-langchain.openAi',
		typeVersion: 1.8,
		credentials: { openAiApi: credential },
		parameters: {
			resource: 'text',
			operation: 'message',
			modelId: { __rl: true, mode: 'id', value: MODEL },
			messages: { values: [{ content: '={{ $json.prompt }}' }] },
			simplify: true,
			options: { temperature: 0 },
		},
	};
}

/** Basic LLM Chain (its batching at `batchSize` concurrent items) with OpenAI Chat Model on Chat Completions. */
export function llmChain(credential: CredentialReference, batchSize: number): { step: Node; model: Node; connections: Record<string, unknown> } {
	return {
		step: {
			name: 'Basic LLM Chain',
			type: '@n8n/n8n-nodes-langchain.chainLlm',
			typeVersion: 1.7,
			parameters: { promptType: 'define', text: '={{ $json.prompt }}', batching: { batchSize, delayBetweenBatches: 0 } },
		},
		model: {
			name: 'Chat Model',
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.3,
			position: [600, 220],
			credentials: { openAiApi: credential },
			// 1.3 calls the Responses API unless switched off; the stub, like most compatible servers, speaks Chat Completions.
			parameters: { model: { __rl: true, mode: 'id', value: MODEL }, responsesApiEnabled: false, options: { temperature: 0 } },
		},
		connections: { 'Chat Model': { ai_languageModel: [[{ node: 'Basic LLM Chain', type: 'ai_languageModel', index: 0 }]] } },
	};
}

export function optimizedAiCallNode(credential: CredentialReference): Node {
	return {
		name: 'Optimized AI Call',
		type: 'n8n-nodes-perf-optimizer.optimizedAiCall',
		typeVersion: 1,
		credentials: { optimizedAiApi: credential },
		parameters: { model: MODEL, userPrompt: '={{ $json.prompt }}', temperature: 0, optimization: { cacheTtlSeconds: 3600, maxConcurrency: 50 } },
	};
}

// Template rendering -------------------------------------------------------------------------------------------

/** The same letter in each setup's syntax. */
export const LETTER_HANDLEBARS = 'Dear {{title}} {{last_name}}, your order {{order_id}} of {{amount}} EUR ships to {{city}} on {{due}}.';
const LETTER_EXPRESSION =
	'=Dear {{ $json.title }} {{ $json.last_name }}, your order {{ $json.order_id }} of {{ $json.amount }} EUR ships to {{ $json.city }} on {{ $json.due }}.';

/**
 * The Code node's way: n8n 2.40.7 runs Code in a task runner started with --disallow-code-generation-from-strings,
 * where Handlebars.compile fails ("Code generation from strings disallowed"), so the letter is filled per item with
 * a regular expression, the fastest thing a Code node can do there.
 */
export function codeTemplateNode(): Node {
	return {
		name: 'Code',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: {
			jsCode: [
				`const source = ${JSON.stringify(LETTER_HANDLEBARS)};`,
				"return $input.all().map((item) => ({ json: { ...item.json, text: source.replace(/{{\\s*(\\w+)\\s*}}/g, (_, key) => String(item.json[key] ?? '')) } }));",
			].join('\n'),
		},
	};
}

export function setExpressionNode(): Node {
	return {
		name: 'Set',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: { mode: 'manual', includeOtherFields: true, assignments: { assignments: [{ id: 't1', name: 'text', value: LETTER_EXPRESSION, type: 'string' }] }, options: {} },
	};
}

export function templatePopulateNode(): Node {
	return {
		name: 'Template Populate',
		type: 'n8n-nodes-perf-optimizer.templatePopulate',
		typeVersion: 1,
		// Without the per-item `_template` details, so that its output holds what the other setups' does.
		parameters: { operation: 'populate', templateSource: 'inline', template: LETTER_HANDLEBARS, options: { outputField: 'text', includeTemplateInfo: false } },
	};
}

// Webhook fan-out ------------------------------------------------------------------------------------------------

/** HTTP Request per item to the receiver. */
export function httpRequestPerItemNode(receiverUrl: string): Node {
	return httpPostNode(`${receiverUrl}/hook`, '={{ JSON.stringify($json) }}');
}
