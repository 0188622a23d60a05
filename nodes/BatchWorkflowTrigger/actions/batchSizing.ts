import type { INodeProperties } from 'n8n-workflow';
import { BatchCostHistory } from '../../../lib/dispatch/batches';

/**
 * What each sub-workflow was measured to cost, shared by every Batch Workflow Trigger of this n8n process: a
 * hint for sizing the next dispatch, so it lives in memory only (each worker of queue mode learns its own).
 */
export const subWorkflowCosts = new BatchCostHistory();

/** Items per batch at most when sizing adapts; bytes stay bounded by Max Batch Size (KB) as for fixed batches. */
export const ADAPTIVE_MAX_ITEMS_PER_BATCH = 10_000;

const sizingField = (defaultValue: 'auto' | 'fixed', versions: unknown[]): INodeProperties => ({
	displayName: 'Batch Sizing',
	name: 'batchSizing',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Adaptive',
			value: 'auto',
			description:
				'Time two ways on the first runs and keep the faster: all items as one sub-execution (best when n8n is busy running the sub-workflow), or spread over the batches in flight (best when it mostly waits on slow services)',
		},
		{ name: 'Fixed', value: 'fixed', description: 'Always Items per Batch' },
	],
	default: defaultValue,
	displayOptions: { show: { target: ['subWorkflow'], '@version': versions as never } },
});

/** Version 1 keeps fixed batches; from 1.1 new nodes adapt. */
export const batchSizingFields: INodeProperties[] = [sizingField('fixed', [1]), sizingField('auto', [{ _cnd: { gte: 1.1 } }])];
