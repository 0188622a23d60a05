import type { INodeParameters } from 'n8n-workflow';
import { HarnessNodeTypes } from '../../helpers/nodeTypes';
import { PACKAGE_NODES, TEMPLATE_TYPE } from '../../helpers/packageNodes';
import { WorkflowHarness, type WorkflowJson } from '../../helpers/workflowHarness';

export function templateHarness(): WorkflowHarness {
	return new WorkflowHarness({ nodeTypes: new HarnessNodeTypes(PACKAGE_NODES) });
}

/** Manual Trigger -> Template Populate ("Fill"). */
export function templateWorkflow(parameters: INodeParameters, options: { id?: string; continueOnFail?: boolean } = {}): WorkflowJson & { id: string } {
	return {
		id: options.id ?? 'templateWf1',
		name: 'Template test',
		nodes: [
			{ id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'f',
				name: 'Fill',
				type: TEMPLATE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters,
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: { Start: { main: [[{ node: 'Fill', type: 'main', index: 0 }]] } },
	};
}
