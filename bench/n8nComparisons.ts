import type { BenchReceiver } from './n8nReceiver';
import { letterItems, promptItems, recordItems } from './n8nInputs';
import {
	batchWorkflowTriggerNode,
	benchWorkflow,
	codeTemplateNode,
	executeWorkflowNode,
	httpRequestLlmNode,
	httpRequestPerItemNode,
	ioBoundSubWorkflow,
	llmChain,
	openAiNode,
	optimizedAiCallNode,
	setExpressionNode,
	templatePopulateNode,
	trivialSubWorkflow,
	type CredentialReference,
	type WorkflowDefinition,
} from './n8nWorkflows';

const FANOUT_ITEMS = 1000;
const LLM_ITEMS = 2000;
const LLM_PROMPTS = 500;
const TEMPLATE_ITEMS = 10_000;
const WEBHOOK_ITEMS = 2000;

/** One way to do a job in n8n: the webhook path of its workflow and how to check its answer. */
export interface Setup {
	label: string;
	/** Its key in the figures: each, all, ours, http, openai, chain, code, set. */
	short: string;
	path: string;
	/** Its workflow and the sub-workflow it runs, whose saved executions count. */
	workflowIds: string[];
	/** Expected to take minutes: measured in the first rounds only. */
	slow?: boolean;
	/** A counter of upstream requests, read before and after each run. */
	upstream?: (stubUrl: string, receiver: BenchReceiver) => Promise<number>;
	/** Why the answer is wrong, or undefined. */
	check(output: unknown[], sent: unknown[]): string | undefined;
}

export interface Comparison {
	key: string;
	title: string;
	items(roundName: string): unknown[];
	setups: Setup[];
}

export interface ComparisonContext {
	publish(workflow: WorkflowDefinition): Promise<string>;
	stubUrl: string;
	stubKey: string;
	receiverUrl: string;
	openAi: CredentialReference;
	optimized: CredentialReference;
}

type Json = Record<string, unknown>;

const everyItem = (test: (item: Json, index: number) => boolean, what: string) => (output: unknown[], sent: unknown[]) => {
	if (output.length !== sent.length) return `${output.length} items came back for ${sent.length} sent`;
	const wrong = output.findIndex((item, index) => !test(item as Json, index));
	return wrong >= 0 ? `item ${wrong} ${what}` : undefined;
};

async function stubCompletions(stubUrl: string): Promise<number> {
	return ((await (await fetch(`${stubUrl}/_stub/stats`)).json()) as { upstreamCalls: number }).upstreamCalls;
}

/** The node's defaults made explicit; from version 1.1 Batch Sizing defaults to adaptive. */
const batchParameters = (subId: string) => ({ target: 'subWorkflow', workflowId: { __rl: true, mode: 'id', value: subId }, batchSize: 100, maxInFlight: 4, options: {} });

/** Publishes every workflow of the benchmark and describes its comparisons. */
export async function comparisons(context: ComparisonContext): Promise<Comparison[]> {
	const fanout = async (key: string, title: string, sub: WorkflowDefinition): Promise<Comparison> => {
		const subId = await context.publish(sub);
		const setup = async (label: string, short: string, node: Record<string, unknown> & { name: string }, slow = false): Promise<Setup> => {
			const path = `${key}-${short}`;
			const id = await context.publish(benchWorkflow(`Bench ${key}: ${label}`, path, [node]));
			return { label, short, path, workflowIds: [id, subId], slow, check: everyItem((item) => item.processed === true, 'is not processed') };
		};
		return {
			key,
			title: `${title}, ${FANOUT_ITEMS} items`,
			items: () => recordItems(FANOUT_ITEMS),
			setups: [
				await setup('Execute Workflow, once for each item', 'each', executeWorkflowNode(subId, 'each'), true),
				await setup('Execute Workflow, once with all items', 'all', executeWorkflowNode(subId, 'once')),
				await setup('Batch Workflow Trigger 1, 100 per batch, 4 in flight', 'fixed', batchWorkflowTriggerNode({ ...batchParameters(subId), batchSizing: 'fixed' })),
				await setup('Batch Workflow Trigger 1.1, adaptive sizing, 4 in flight', 'ours', { ...batchWorkflowTriggerNode(batchParameters(subId)), typeVersion: 1.1 }),
			],
		};
	};

	const ai = async (): Promise<Comparison> => {
		const setup = async (label: string, short: string, workflow: (path: string) => WorkflowDefinition, slow = false): Promise<Setup> => {
			const path = `ai-${short}`;
			const id = await context.publish(workflow(path));
			return { label, short, path, workflowIds: [id], slow, upstream: (stubUrl) => stubCompletions(stubUrl), check: everyItem((item) => JSON.stringify(item).length > 20, 'has no answer') };
		};
		const chain = llmChain(context.openAi, 200);
		return {
			key: 'ai',
			title: `LLM calls, ${LLM_ITEMS} items Zipf over ${LLM_PROMPTS} prompts, model at 50 ms`,
			items: (roundName) => promptItems(LLM_ITEMS, LLM_PROMPTS, roundName),
			setups: [
				await setup('HTTP Request (batching: all at once)', 'http', (path) => benchWorkflow('Bench ai: HTTP Request', path, [httpRequestLlmNode(context.stubUrl, context.stubKey)])),
				await setup('OpenAI node (Message a Model)', 'openai', (path) => benchWorkflow('Bench ai: OpenAI', path, [openAiNode(context.openAi)]), true),
				await setup('Basic LLM Chain + OpenAI Chat Model (batch 200)', 'chain', (path) =>
					benchWorkflow('Bench ai: Basic LLM Chain', path, [chain.step], { nodes: [chain.model], connections: chain.connections }),
				),
				await setup('Optimized AI Call (50 concurrent)', 'ours', (path) => benchWorkflow('Bench ai: Optimized AI Call', path, [optimizedAiCallNode(context.optimized)])),
			],
		};
	};

	const template = async (): Promise<Comparison> => {
		const expected = (item: Json) => `Dear ${item.title} ${item.last_name}, your order ${item.order_id} of ${item.amount} EUR ships to ${item.city} on ${item.due}.`;
		const setup = async (label: string, short: string, node: Record<string, unknown> & { name: string }): Promise<Setup> => {
			const path = `template-${short}`;
			const id = await context.publish(benchWorkflow(`Bench template: ${label}`, path, [node]));
			const letters = letterItems(TEMPLATE_ITEMS);
			return { label, short, path, workflowIds: [id], check: everyItem((item, index) => item.text === expected(letters[index]), 'has the wrong text') };
		};
		return {
			key: 'template',
			title: `Template rendering, ${TEMPLATE_ITEMS} items`,
			items: () => letterItems(TEMPLATE_ITEMS),
			setups: [
				await setup('Code node, regex fill per item', 'code', codeTemplateNode()),
				await setup('Set node, expression template', 'set', setExpressionNode()),
				await setup('Template Populate', 'ours', templatePopulateNode()),
			],
		};
	};

	const webhook = async (): Promise<Comparison> => {
		const setup = async (label: string, short: string, node: Record<string, unknown> & { name: string }): Promise<Setup> => {
			const path = `webhook-${short}`;
			const id = await context.publish(benchWorkflow(`Bench webhook: ${label}`, path, [node]));
			return { label, short, path, workflowIds: [id], upstream: async (_stub, receiver) => receiver.requests('/hook'), check: everyItem((item) => typeof item.id === 'number', 'is not its record') };
		};
		return {
			key: 'webhook',
			title: `Webhook fan-out, ${WEBHOOK_ITEMS} items, receiver at 5 ms`,
			items: () => recordItems(WEBHOOK_ITEMS),
			setups: [
				await setup('HTTP Request per item (batching: all at once)', 'http', httpRequestPerItemNode(context.receiverUrl)),
				await setup('Batch Workflow Trigger, webhook target, gzip', 'ours', batchWorkflowTriggerNode({ target: 'webhook', webhookUrls: `${context.receiverUrl}/hook`, batchSize: 100, maxInFlight: 4, options: { gzipThresholdBytes: 1024 } })),
			],
		};
	};

	return [
		await fanout('fanout-trivial', 'Sub-workflow fan-out, cheap sub-workflow (Set)', trivialSubWorkflow()),
		await fanout('fanout-io', 'Sub-workflow fan-out, I/O-bound sub-workflow (HTTP Request per execution, 1 ms per item)', ioBoundSubWorkflow(context.receiverUrl)),
		await ai(),
		await template(),
		await webhook(),
	];
}
