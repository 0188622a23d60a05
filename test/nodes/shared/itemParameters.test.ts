import type { IDataObject } from 'n8n-workflow';
import { resetSharedProcessState } from '../../../lib/state';
import { itemFieldPath } from '../../../nodes/shared/parameters';
import { HarnessNodeTypes, PACKAGE_PREFIX } from '../../helpers/nodeTypes';
import { ParameterProbe } from '../../helpers/nodes/ParameterProbe.node';
import { WorkflowHarness, type WorkflowJson } from '../../helpers/workflowHarness';

const PROBE_TYPE = `${PACKAGE_PREFIX}.parameterProbe`;

function probeWorkflow(text: string): WorkflowJson & { id: string } {
	return {
		id: 'paramProbeWf1',
		name: 'Parameter probe',
		nodes: [
			{ id: 'p1', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'p2', name: 'Probe', type: PROBE_TYPE, typeVersion: 1, position: [200, 0], parameters: { text } },
		],
		connections: { Manual: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } },
	};
}

async function probe(text: string, input: IDataObject[]) {
	const harness = new WorkflowHarness({ nodeTypes: new HarnessNodeTypes({ [PROBE_TYPE]: ParameterProbe }) });
	const workflow = probeWorkflow(text);
	harness.database.add(workflow);
	const result = await harness.run(workflow, { input });
	expect(result.status).toBe('success');
	return result.json('Probe') as Array<{ ours: unknown; n8n: unknown; n8nReads: number }>;
}

/** Items whose fields are text, other types, missing or nested, including names only brackets can reach. */
const ITEMS: IDataObject[] = [
	{ prompt: 'What is n8n?', body: { prompt: 'nested text', 'the key': 'spaced' } },
	{ prompt: 42, body: { prompt: { deep: true } } },
	{ prompt: '', body: null },
	{ prompt: null, body: { prompt: ['a', 'b'] } },
	{ other: 'no prompt here', body: 'a string, not an object' },
	{ prompt: '={{ 1 + 1 }}', body: { prompt: '  padded  ' } },
];

describe('ItemParameters', () => {
	beforeEach(() => resetSharedProcessState());

	it.each([
		'={{ $json.prompt }}',
		'={{$json.prompt}}',
		'={{ $json.body.prompt }}',
		'={{ $json["body"]["the key"] }}',
		"={{ $json['body'].prompt }}",
		'={{ $json.constructor }}',
		'={{ $json.prompt.length }}',
	])('reads %s exactly as n8n resolves it, for every kind of item', async (text) => {
		for (const output of await probe(text, ITEMS)) expect(output.ours).toEqual(output.n8n);
	});

	it('reads an item-field expression from the item without asking n8n when the field holds text', async () => {
		const texts = Array.from({ length: 50 }, (_, index) => ({ prompt: `question ${index}` }));
		const outputs = await probe('={{ $json.prompt }}', texts);
		expect(outputs.map((output) => output.ours)).toEqual(texts.map(({ prompt }) => ({ value: prompt })));
		expect(outputs[0].n8nReads).toBe(0);
	});

	it('leaves every other expression to n8n, item by item', async () => {
		const outputs = await probe('={{ $json.prompt + "!" }}', [{ prompt: 'a' }, { prompt: 'b' }]);
		expect(outputs.map((output) => output.ours)).toEqual([{ value: 'a!' }, { value: 'b!' }]);
		expect(outputs[0].n8nReads).toBe(2);
	});

	it('recognises only whole-parameter reads of item fields', () => {
		expect(itemFieldPath('={{ $json.body.prompt }}')).toEqual(['body', 'prompt']);
		expect(itemFieldPath('={{ $json["a b"][\'c\'] }}')).toEqual(['a b', 'c']);
		for (const other of ['={{ $json.a }} and more', 'Hello {{ $json.a }}', '={{ $json.a() }}', '={{ $json[0] }}', '={{ $json }}', '={{ $input.item.json.a }}', '$json.a', 42]) {
			expect(itemFieldPath(other)).toBeUndefined();
		}
	});
});
