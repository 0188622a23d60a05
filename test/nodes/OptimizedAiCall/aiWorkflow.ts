import type { INodeParameters } from 'n8n-workflow';
import { HarnessCredentialsHelper } from '../../helpers/credentialsHelper';
import { HarnessNodeTypes } from '../../helpers/nodeTypes';
import { AI_CALL_TYPE, PACKAGE_NODES } from '../../helpers/packageNodes';
import { WorkflowHarness, type WorkflowJson } from '../../helpers/workflowHarness';

export const STUB_KEY = 'sk-test-secret-key-0123456789';

/** A harness whose credentials point at the stub: `openai` (OpenAI-compatible) and `anthropic`. */
export function aiHarness(stubUrl: string): { harness: WorkflowHarness; credentials: HarnessCredentialsHelper } {
	const credentials = new HarnessCredentialsHelper();
	credentials.set('openai', { provider: 'openAiCompatible', baseUrl: `${stubUrl}/v1`, apiKey: STUB_KEY });
	credentials.set('openai-other-account', { provider: 'openAiCompatible', baseUrl: `${stubUrl}/v1`, apiKey: `${STUB_KEY}-2` });
	credentials.set('anthropic', { provider: 'anthropic', baseUrl: stubUrl, apiKey: STUB_KEY });
	const harness = new WorkflowHarness({ nodeTypes: new HarnessNodeTypes(PACKAGE_NODES), credentialsHelper: credentials });
	return { harness, credentials };
}

/** Manual Trigger -> Optimized AI Call ("Ask"), as a user would wire it; version 1 unless `typeVersion` says otherwise. */
export function aiWorkflow(
	parameters: INodeParameters,
	options: { id?: string; credentialId?: string; continueOnFail?: boolean; nodeName?: string; typeVersion?: number } = {},
): WorkflowJson & { id: string } {
	const nodeName = options.nodeName ?? 'Ask';
	const typeVersion = options.typeVersion ?? 1;
	// Version 1.1 saves the Model as a resource locator, as the editor does when the model is picked from the list.
	const model = typeVersion === 1 ? 'gpt-4o-mini' : { __rl: true, mode: 'list', value: 'gpt-4o-mini' };
	return {
		id: options.id ?? 'aiWf1',
		name: 'AI test',
		nodes: [
			{ id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'a',
				name: nodeName,
				type: AI_CALL_TYPE,
				typeVersion,
				position: [200, 0],
				parameters: { model, userPrompt: '={{ $json.prompt }}', ...parameters },
				credentials: { optimizedAiApi: { id: options.credentialId ?? 'openai', name: 'Stub' } },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: { Start: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
	};
}

export const prompts = (...texts: string[]) => texts.map((prompt) => ({ prompt }));
