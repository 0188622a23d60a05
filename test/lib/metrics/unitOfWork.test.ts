import { rollupByComponent, rollupTotal } from '../../../lib/metrics/rollup';
import { summarizeOperation } from '../../../lib/metrics/summary';
import { componentName, isUnitOfWork, UNIT_OPERATIONS } from '../../../lib/metrics/unitOfWork';
import { MIXED_READINGS, PREFIX } from './mixedReadings';

describe('units of work', () => {
	it('names one operation per kind of unit, and the rest of our operations are sub-operations', () => {
		expect(UNIT_OPERATIONS).toEqual({
			aiCall: 'chat',
			chatModelCall: 'chat',
			executionNodeRun: 'nodeRun',
			webhookBatch: 'dispatchWebhook',
			subWorkflowBatch: 'dispatchSubWorkflow',
			populatedItem: 'populate',
			span: 'span',
		});
		const unit = (type: string, operation: string) => isUnitOfWork({ nodeType: `${PREFIX}${type}`, nodeName: 'x', operation });
		expect(unit('optimizedAiCall', 'chat')).toBe(true);
		expect(unit('optimizedChatModel', 'chat')).toBe(true);
		expect(unit('batchWorkflowTrigger', 'dispatchWebhook')).toBe(true);
		expect(unit('batchWorkflowTrigger', 'dispatchSubWorkflow')).toBe(true);
		expect(unit('batchWorkflowTrigger', 'queueWait')).toBe(false);
		expect(unit('batchWorkflowTrigger', 'POST http://receiver/hook')).toBe(false);
		expect(unit('templatePopulate', 'populate')).toBe(true);
		expect(['discover', 'map', 'render'].map((operation) => unit('templatePopulate', operation))).toEqual([false, false, false]);
		expect(unit('perfMonitor', 'span')).toBe(true);
		// A node run read from n8n's executions counts for every node type, ours included.
		expect(unit('optimizedAiCall', 'nodeRun')).toBe(true);
		expect(unit('batchWorkflowTrigger', 'nodeRun')).toBe(true);
		expect(isUnitOfWork({ nodeType: 'n8n-nodes-base.httpRequest', nodeName: 'x', operation: 'nodeRun' })).toBe(true);
		// A kind we do not know has no sub-operations: all of its series count.
		expect(isUnitOfWork({ nodeType: 'other-package.thing', nodeName: 'x', operation: 'anything' })).toBe(true);
		expect(componentName('@scope/n8n-nodes-x.templatePopulate')).toBe('templatePopulate');
	});

	it('gives each component the calls, items and time of its units of work only', () => {
		const components = rollupByComponent(MIXED_READINGS);
		const rows = components.map(({ nodeName, counters }) => [nodeName, counters.calls, counters.items, counters.errors, counters.durationMsSum]);
		expect(rows).toEqual([
			['Ask', 4, 4, 1, 400],
			// 2 batches of 10 items, 300 ms each; not + 2 queue waits (1 800 ms) + 3 HTTP attempts (300 ms).
			['Send', 2, 20, 0, 600],
			// 5 populated items of 4 ms; not + 15 steps.
			['Fill', 5, 5, 0, 20],
			['checkout', 1, 3, 0, 50],
			['Elsewhere', 2, 2, 0, 20],
		]);
		const fill = components[2];
		expect(fill.counters.hits).toBe(5);
		expect(fill.counters.misses).toBe(0);
		expect(Object.fromEntries(Object.entries(fill.operations).map(([operation, counters]) => [operation, counters.calls]))).toEqual({
			populate: 5,
			discover: 5,
			map: 5,
			render: 5,
		});
		expect(components[1].operations.queueWait.durationMsSum).toBe(1800);
	});

	it('totals units of work only', () => {
		const total = rollupTotal(MIXED_READINGS);
		expect([total.calls, total.items, total.errors, total.durationMsSum]).toEqual([14, 34, 1, 1090]);
	});

	it('summarises one operation of a breakdown, with its cache only when it used one', () => {
		const [, send, fill] = rollupByComponent(MIXED_READINGS);
		const wait = summarizeOperation(send.operations.queueWait, false);
		expect(wait).toMatchObject({ unitOfWork: false, calls: 2, items: 20, errors: 0, totalMs: 1800 });
		expect(wait.latencyMs.avg).toBe(900);
		expect(wait.cache).toBeUndefined();
		expect(summarizeOperation(fill.operations.map, false).cache).toMatchObject({ hits: 0, misses: 5, hitRate: 0 });
	});
});
