import { randomUUID } from 'node:crypto';

/**
 * The workflow the agent benchmark publishes twice: Webhook (POST, answers with the last node's first item) → AI
 * Agent (prompt from the body's `question`, streaming off) with one chat model and one tool that looks a topic up
 * on the bench's fact server. Only the chat model node differs between the two workflows. The tool is the HTTP
 * Request node used as a tool: n8n 2.40.7's Agent runs a tool through the node's execute(), which the older
 * HTTP Request Tool (toolHttpRequest, supplyData only) lacks, so that one answers every call with an error.
 */

/** The Agent's name for the tool (n8n derives it from the node name). */
export const FACT_TOOL_NAME = 'Fact_Lookup';

export interface CredentialReference {
	id: string;
	name: string;
}

/** n8n's own OpenAI Chat Model on Chat Completions (what an OpenAI-compatible endpoint serves). */
export function openAiChatModelNode(credential: CredentialReference): Record<string, unknown> {
	return {
		parameters: { model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' }, responsesApiEnabled: false, options: {} },
		name: 'Chat Model',
		type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
		typeVersion: 1.3,
		position: [200, 220],
		credentials: { openAiApi: credential },
	};
}

/** This package's Optimized Chat Model. */
export function optimizedChatModelNode(credential: CredentialReference): Record<string, unknown> {
	return {
		parameters: { model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' }, options: {} },
		name: 'Chat Model',
		type: 'n8n-nodes-perf-optimizer.optimizedChatModel',
		typeVersion: 1,
		position: [200, 220],
		credentials: { optimizedAiApi: credential },
	};
}

export function agentWorkflow(name: string, path: string, chatModel: Record<string, unknown>, factServerUrl: string) {
	return {
		name,
		nodes: [
			{
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
			},
			{
				parameters: { promptType: 'define', text: '={{ $json.body.question }}', options: { enableStreaming: false } },
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3.1,
				position: [300, 0],
			},
			chatModel,
			{
				parameters: {
					toolDescription: 'Looks up the fact about a topic',
					method: 'GET',
					url: `=${factServerUrl}/fact/{{ $fromAI('topic', 'The topic, e.g. topic-07', 'string') }}`,
					options: {},
				},
				name: 'Fact Lookup',
				type: 'n8n-nodes-base.httpRequestTool',
				typeVersion: 4.2,
				position: [420, 220],
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			'Fact Lookup': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}
