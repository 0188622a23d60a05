import type { INodeParameters } from 'n8n-workflow';
import { HarnessCredentialsHelper } from '../../helpers/credentialsHelper';
import { HarnessNodeTypes } from '../../helpers/nodeTypes';
import { ToolLoopAgent } from '../../helpers/nodes/ToolLoopAgent.node';
import { CHAT_MODEL_TYPE, PACKAGE_NODES } from '../../helpers/packageNodes';
import { WorkflowHarness, type WorkflowJson } from '../../helpers/workflowHarness';
import { STUB_KEY } from '../OptimizedAiCall/aiWorkflow';

export const MODEL_NODE = 'Optimized Chat Model';

/** A harness with our nodes and the test agent, whose credentials point at the stub: `openai` and `anthropic`. */
export function agentHarness(stubUrl: string): WorkflowHarness {
	const credentials = new HarnessCredentialsHelper();
	credentials.set('openai', { provider: 'openAiCompatible', baseUrl: `${stubUrl}/v1`, apiKey: STUB_KEY });
	credentials.set('anthropic', { provider: 'anthropic', baseUrl: stubUrl, apiKey: STUB_KEY });
	credentials.set('openai-no-key', { provider: 'openAiCompatible', baseUrl: `${stubUrl}/v1`, apiKey: 'wrong-key' });
	return new WorkflowHarness({
		nodeTypes: new HarnessNodeTypes({ ...PACKAGE_NODES, 'test.toolLoopAgent': ToolLoopAgent }),
		credentialsHelper: credentials,
	});
}

/** Manual Trigger -> Agent (the test agent with one tool), with Optimized Chat Model on its Chat Model input. */
export function agentWorkflow(
	options: { id?: string; credentialId?: string; model?: INodeParameters; agent?: INodeParameters } = {},
): WorkflowJson & { id: string } {
	return {
		id: options.id ?? 'agentWf1',
		name: 'Agent test',
		nodes: [
			{ id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'a', name: 'Agent', type: 'test.toolLoopAgent', typeVersion: 1, position: [200, 0], parameters: { ...options.agent } },
			{
				id: 'm',
				name: MODEL_NODE,
				type: CHAT_MODEL_TYPE,
				typeVersion: 1,
				position: [200, 200],
				parameters: { model: { __rl: true, mode: 'list', value: 'gpt-4o-mini' }, ...options.model },
				credentials: { optimizedAiApi: { id: options.credentialId ?? 'openai', name: 'Stub' } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			[MODEL_NODE]: { ai_languageModel: [[{ node: 'Agent', type: 'ai_languageModel', index: 0 }]] },
		},
	};
}

/** A prompt that makes the stub call the test agent's `lookup` tool once, then answer with the tool's result. */
export const toolPrompt = (topic: string) => `Tell me about ${topic} [[tool:lookup {"topic":"${topic}"}]]`;
