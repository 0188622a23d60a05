import { parseSnapshot, SNAPSHOT_VERSION, STATE_KEY } from '../../lib/state';
import { resetSharedProcessState } from '../../lib/state';
import { HarnessNodeTypes, PACKAGE_PREFIX } from '../helpers/nodeTypes';
import { CallSubWorkflow } from '../helpers/nodes/CallSubWorkflow.node';
import { MetricProbe } from '../helpers/nodes/MetricProbe.node';
import { NaiveCounter } from '../helpers/nodes/NaiveCounter.node';
import { WorkflowHarness, type WorkflowJson } from '../helpers/workflowHarness';

const PROBE_TYPE = `${PACKAGE_PREFIX}.metricProbe`;
const NAIVE_TYPE = `${PACKAGE_PREFIX}.naiveCounter`;
const CALL_TYPE = `${PACKAGE_PREFIX}.callSubWorkflow`;

function probeWorkflow(id = 'probeWf1'): WorkflowJson & { id: string } {
	return {
		id,
		name: 'Probe',
		nodes: [
			{ id: 'n1', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'n2',
				name: 'Probe',
				type: PROBE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters: { durationMs: '={{ 5 + $json.extra }}' },
			},
		],
		connections: { Manual: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } },
	};
}

function newHarness() {
	return new WorkflowHarness({ nodeTypes: new HarnessNodeTypes({ [PROBE_TYPE]: MetricProbe, [NAIVE_TYPE]: NaiveCounter, [CALL_TYPE]: CallSubWorkflow }) });
}

describe('in-process workflow harness', () => {
	beforeEach(() => resetSharedProcessState());

	it('runs Manual Trigger -> our node through WorkflowExecute and hands over the static data n8n would save', async () => {
		const harness = newHarness();
		const workflow = probeWorkflow();
		harness.database.add(workflow);
		const result = await harness.run(workflow, { input: [{ extra: 1 }, { extra: 2 }] });
		expect(result.status).toBe('success');
		expect(result.json('Probe')).toEqual([
			{ extra: 1, totalCalls: 2 },
			{ extra: 2, totalCalls: 2 },
		]);
		expect(result.items('Probe').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const saved = result.savedStaticData?.global as Record<string, { v: number }>;
		expect(saved[STATE_KEY].v).toBe(SNAPSHOT_VERSION);
		expect((parseSnapshot(saved[STATE_KEY]).m as { s: Array<{ n: string; o: string }> }).s[0]).toMatchObject({ n: 'Probe', o: 'probe' });
	});

	it('runs the Manual Trigger itself in manual mode, where n8n saves no static data', async () => {
		const harness = newHarness();
		const workflow = probeWorkflow();
		harness.database.add(workflow);
		const result = await harness.run(workflow, { mode: 'manual' });
		expect(result.status).toBe('success');
		expect(result.json('Probe')).toHaveLength(1);
		expect(result.savedStaticData).toBeUndefined();
	});

	it('keeps metric totals across 20 concurrent executions of one workflow, unlike plain static data', async () => {
		const harness = newHarness();
		const workflow = probeWorkflow();
		harness.database.add(workflow);
		await Promise.all(Array.from({ length: 20 }, () => harness.run(workflow, { input: [{ extra: 0 }] })));
		// A restart: the process-wide layer is gone and only what n8n saved remains.
		resetSharedProcessState();
		const after = await harness.run(workflow, { input: [{ extra: 0 }] });
		expect(after.json('Probe')[0].totalCalls).toBe(21);
	});

	it('reproduces n8n\'s lost static-data updates for a plain counter under concurrency', async () => {
		const harness = newHarness();
		const workflow = probeWorkflow('naiveWf1');
		workflow.nodes[1] = { ...workflow.nodes[1], name: 'Probe', type: NAIVE_TYPE, parameters: {} };
		harness.database.add(workflow);
		await Promise.all(Array.from({ length: 20 }, () => harness.run(workflow)));
		expect(harness.database.readStaticData('naiveWf1').global).toEqual({ count: 1 });
	});

	it('runs a sub-workflow called with this.executeWorkflow, in integrated mode with its own static data', async () => {
		const harness = newHarness();
		const child = probeWorkflow('childWf1');
		child.nodes[0] = {
			id: 'c1',
			name: 'Start',
			type: 'n8n-nodes-base.executeWorkflowTrigger',
			typeVersion: 1.1,
			position: [0, 0],
			parameters: { inputSource: 'passthrough' },
		};
		child.connections = { Start: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } };
		harness.database.add(child);
		const parent = probeWorkflow('parentWf1');
		parent.nodes[1] = { ...parent.nodes[1], name: 'Call', type: CALL_TYPE, parameters: { workflowId: 'childWf1' } };
		parent.connections = { Manual: { main: [[{ node: 'Call', type: 'main', index: 0 }]] } };
		harness.database.add(parent);
		const result = await harness.run(parent, { input: [{ extra: 3 }, { extra: 4 }] });
		expect(result.status).toBe('success');
		expect(result.json('Call')).toEqual([
			{ extra: 3, totalCalls: 2 },
			{ extra: 4, totalCalls: 2 },
		]);
		expect(harness.database.readStaticData('childWf1').global).toHaveProperty(STATE_KEY);
		expect(harness.database.readStaticData('parentWf1')).toEqual({});
	});
});
