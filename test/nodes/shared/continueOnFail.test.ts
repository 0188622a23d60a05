import type { INodeExecutionData } from 'n8n-workflow';
import { resetSharedProcessState } from '../../../lib/state';
import type { WorkflowJson } from '../../helpers/workflowHarness';
import { batchHarness, batchWorkflow, doublingSubWorkflow, values } from '../BatchWorkflowTrigger/batchWorkflow';
import { monitorHarness, monitorWorkflow } from '../PerfMonitor/monitorWorkflow';
import { templateHarness, templateWorkflow } from '../TemplatePopulate/templateWorkflow';

type Json = Record<string, any>;

/** The same workflow with the node set to "continue (using error output)". */
function withErrorOutput<T extends WorkflowJson>(workflow: T, nodeName: string): T {
	return { ...workflow, nodes: workflow.nodes.map((node) => (node.name === nodeName ? { ...node, onError: 'continueErrorOutput' as const } : node)) };
}

/** Every item is an error item with its class and its own input item, never the input passed on unchanged. */
function expectErrorItems(items: INodeExecutionData[], count: number, message: RegExp, errorClass = 'validation'): void {
	expect(items).toHaveLength(count);
	items.forEach((item, index) => {
		expect(item.json).toMatchObject({ error: expect.stringMatching(message), errorClass });
		expect(item.pairedItem).toEqual({ item: index });
	});
}

const subWorkflow = { target: 'subWorkflow', workflowId: { __rl: true, mode: 'id', value: 'doubleSub1' } };

describe('continue-on-fail never returns bare input', () => {
	beforeEach(() => resetSharedProcessState());

	describe('Batch Workflow Trigger', () => {
		it.each([[-1], [1.5], [1e20], [0]])('batch size %p: every item carries the error naming Items per Batch', async (batchSize) => {
			const harness = batchHarness();
			harness.database.add(doublingSubWorkflow());
			const result = await harness.run(batchWorkflow({ ...subWorkflow, batchSize }, { continueOnFail: true }), { input: values(3) });
			expect(result.status).toBe('success');
			expectErrorItems(result.items('Send'), 3, /^'Items per Batch' must be a whole number from 1 to \d+, got/);
		});

		it('batch size -1 with the error output: every item goes there with the message, nothing to the main output', async () => {
			const harness = batchHarness();
			harness.database.add(doublingSubWorkflow());
			const result = await harness.run(withErrorOutput(batchWorkflow({ ...subWorkflow, batchSize: -1 }), 'Send'), { input: values(2) });
			expect(result.status).toBe('success');
			expect(result.json('Send', 0)).toEqual([]);
			// n8n keeps only the message on error-output items.
			expect(result.json('Send', 1)).toEqual([0, 1].map(() => ({ error: "'Items per Batch' must be a whole number from 1 to 9007199254740991, got -1" })));
			expect(result.items('Send', 1).map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		});

		it('an item that already carries the correlation field fails its batch; the other batches are sent', async () => {
			const harness = batchHarness();
			harness.database.add(doublingSubWorkflow());
			const input = values(4, (index) => (index === 1 ? { _batchItem: 'mine' } : {}));
			const result = await harness.run(batchWorkflow({ ...subWorkflow, batchSize: 2 }, { continueOnFail: true }), { input });
			expect(result.status).toBe('success');
			const out = result.json('Send') as Json[];
			expect(out.slice(0, 2)).toEqual([
				expect.objectContaining({ error: expect.stringMatching(/^Batch 0 \(items 0-1\): Expected item 1 to have no field '_batchItem'/), errorClass: 'validation' }),
				expect.objectContaining({ error: expect.stringMatching(/Expected item 1 to have no field '_batchItem'/), errorClass: 'validation' }),
			]);
			expect(out.slice(2).map((item) => item.doubled)).toEqual([4, 6]);
			expect(result.items('Send').map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		});

		it('a failed batch in per-batch output is an error row with its class, paired with the batch items', async () => {
			const harness = batchHarness();
			harness.database.add(doublingSubWorkflow());
			const input = values(4, (index) => (index === 3 ? { _batchItem: 1 } : {}));
			const result = await harness.run(batchWorkflow({ ...subWorkflow, batchSize: 2, output: 'perBatch' }, { continueOnFail: true }), { input });
			const rows = result.items('Send');
			expect(rows.map((row) => row.json.status)).toEqual(['done', 'failed']);
			expect(rows[0].json.error).toBeUndefined();
			expect(rows[1].json).toMatchObject({ batch: 1, errorClass: 'validation', error: expect.stringMatching(/item 3 to have no field/) });
			expect(rows[1].pairedItem).toEqual([{ item: 2 }, { item: 3 }]);
		});
	});

	describe('Perf Monitor', () => {
		it('an out-of-range window goes to the error output with its message (what a webhook answers with)', async () => {
			const result = await monitorHarness().run(withErrorOutput(monitorWorkflow({ operation: 'getMetrics', window: 0, customMinutes: 1441 }), 'Monitor'), {
				input: [{ query: { minutes: 1441 } }],
			});
			expect(result.status).toBe('success');
			expect(result.json('Monitor', 0)).toEqual([]);
			expect(result.json('Monitor', 1)).toEqual([{ error: "'Window (Minutes)' must be a whole number from 1 to 1440, got 1441" }]);
		});

		it('Check Alerts keeps its two outputs: errors on the first, no alerts on the second', async () => {
			// Redis chosen without a credential: the state backend cannot be opened.
			const result = await monitorHarness().run(monitorWorkflow({ operation: 'checkAlerts', stateBackend: 'redis' }, { continueOnFail: true }), {
				input: [{}, {}],
			});
			expect(result.status).toBe('success');
			expectErrorItems(result.items('Monitor', 0), 2, /credential/i, 'other');
			expect(result.json('Monitor', 1)).toEqual([]);
		});
	});

	describe('Template Populate', () => {
		it('a bad node option gives every item its error instead of passing the input on', async () => {
			const result = await templateHarness().run(templateWorkflow({ template: 'Hi {{name}}', options: { maxTemplateKb: 0 } }, { continueOnFail: true }), {
				input: [{ name: 'A' }, { name: 'B' }],
			});
			expect(result.status).toBe('success');
			expectErrorItems(result.items('Fill'), 2, /^'Max Template Size \(KB\)' must be a number from 1 to \d+, got 0$/);
		});
	});
});
