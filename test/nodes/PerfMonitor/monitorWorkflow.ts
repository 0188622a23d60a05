import type { INode, INodeParameters } from 'n8n-workflow';
import type { MetricEvent } from '../../../lib/metrics';
import { sharedProcessState, StaticDataStateStore } from '../../../lib/state';
import { silentLogger } from '../../../lib/shared/logger';
import { HarnessNodeTypes } from '../../helpers/nodeTypes';
import { PACKAGE_NODES, PERF_MONITOR_TYPE } from '../../helpers/packageNodes';
import { WorkflowHarness, type WorkflowJson } from '../../helpers/workflowHarness';

export const MONITOR_WORKFLOW_ID = 'monitorWf1';

export function monitorHarness(): WorkflowHarness {
	return new WorkflowHarness({ nodeTypes: new HarnessNodeTypes(PACKAGE_NODES) });
}

/** Manual Trigger -> Perf Monitor ("Monitor") with the given parameters. */
export function monitorWorkflow(parameters: INodeParameters, options: { id?: string; continueOnFail?: boolean } = {}): WorkflowJson & { id: string } {
	return {
		id: options.id ?? MONITOR_WORKFLOW_ID,
		name: 'Monitor test',
		nodes: [
			{ id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			monitorNode('Monitor', parameters, options.continueOnFail),
		],
		connections: { Start: { main: [[{ node: 'Monitor', type: 'main', index: 0 }]] } },
	};
}

export function monitorNode(name: string, parameters: INodeParameters, continueOnFail = false): INode {
	return {
		id: name,
		name,
		type: PERF_MONITOR_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters,
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

/**
 * Records events straight into the process-wide state of a workflow, as other nodes would, so each expected
 * number can be computed by hand. Must run before the first node execution of a test (it fixes the instance id).
 */
export function recordEvents(events: Array<Partial<MetricEvent>>, workflowId = MONITOR_WORKFLOW_ID): void {
	const process = sharedProcessState({ instanceId: 'test-instance' });
	const store = new StaticDataStateStore({ process, workflowId, staticData: {}, logger: silentLogger });
	for (const event of events) {
		store.metrics.record({ nodeType: 'n8n-nodes-perf-optimizer.optimizedAiCall', nodeName: 'Ask', operation: 'chat', durationMs: 10, at: Date.now(), ...event });
	}
}
