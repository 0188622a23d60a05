import type { INodeParameters } from 'n8n-workflow';
import { HarnessNodeTypes } from '../../helpers/nodeTypes';
import { BATCH_TYPE, PACKAGE_NODES } from '../../helpers/packageNodes';
import { WorkflowHarness, type WorkflowJson } from '../../helpers/workflowHarness';

export function batchHarness(): WorkflowHarness {
	return new WorkflowHarness({ nodeTypes: new HarnessNodeTypes(PACKAGE_NODES) });
}

/** Manual Trigger -> Batch Workflow Trigger ("Send"). */
export function batchWorkflow(parameters: INodeParameters, options: { id?: string; continueOnFail?: boolean; typeVersion?: number } = {}): WorkflowJson & { id: string } {
	return {
		id: options.id ?? 'batchWf1',
		name: 'Batch test',
		nodes: [
			{ id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'b',
				name: 'Send',
				type: BATCH_TYPE,
				typeVersion: options.typeVersion ?? 1,
				position: [200, 0],
				parameters,
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: { Start: { main: [[{ node: 'Send', type: 'main', index: 0 }]] } },
	};
}

/** A sub-workflow as users build one: Execute Workflow Trigger (pass-through) -> Set (doubled = value x 2). */
export function doublingSubWorkflow(id = 'doubleSub1'): WorkflowJson & { id: string } {
	return {
		id,
		name: 'Double',
		nodes: [
			{ id: 's1', name: 'Start', type: 'n8n-nodes-base.executeWorkflowTrigger', typeVersion: 1.1, position: [0, 0], parameters: { inputSource: 'passthrough' } },
			{
				id: 's2',
				name: 'Double',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: {
					mode: 'manual',
					includeOtherFields: true,
					assignments: { assignments: [{ id: 'a1', name: 'doubled', value: '={{ $json.value * 2 }}', type: 'number' }] },
					options: {},
				},
			},
		],
		connections: { Start: { main: [[{ node: 'Double', type: 'main', index: 0 }]] } },
	};
}

export const values = (count: number, extra: (index: number) => Record<string, unknown> = () => ({})) =>
	Array.from({ length: count }, (_, index) => ({ value: index, ...extra(index) }));
