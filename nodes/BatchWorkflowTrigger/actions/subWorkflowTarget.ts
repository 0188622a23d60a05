import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { readText } from '../../shared/textParameter';
import type { BatchTarget } from './batchTarget';
import type { BatchSettings } from './readSettings';

/** n8n's message when a production run calls a sub-workflow that has no published version. */
const NOT_PUBLISHED = /not active and cannot be executed/i;

/** Runs the chosen workflow once per batch, in process, linked to this execution as Execute Workflow does. */
export function subWorkflowTarget(context: IExecuteFunctions, settings: BatchSettings): BatchTarget {
	// A workflow selector holds `{ __rl, mode, value }` (from list / by ID); older or hand-written workflows a plain id.
	const selected = context.getNodeParameter('workflowId', 0, '') as string | { value?: unknown };
	const workflowId = readText(typeof selected === 'object' && selected !== null ? selected.value : selected, (problem) =>
		new NodeOperationError(context.getNode(), `'Workflow' ${problem}`, { itemIndex: 0 }),
	).trim();
	if (!workflowId) throw new NodeOperationError(context.getNode(), "'Workflow' is empty: choose the sub-workflow to run", { itemIndex: 0 });
	let subExecutions = 0;
	return {
		label: workflowId,
		cacheTarget: { workflowId },
		async send(_batchId, items) {
			subExecutions++;
			context.setMetadata({ subExecutionsCount: subExecutions });
			try {
				const result = await context.executeWorkflow(
					{ id: workflowId },
					items.map((json) => ({ json: json as never })),
					undefined,
					{
						executionMode: context.getMode(),
						parentExecution: {
							executionId: context.getExecutionId(),
							workflowId: context.getWorkflow().id ?? '',
							shouldResume: settings.waitForResults,
						},
						doNotWaitToFinish: !settings.waitForResults,
					},
				);
				return { items: (result.data?.[0] ?? []).map((item) => item.json), via: workflowId, attempts: 1 };
			} catch (error) {
				const message = (error as Error).message ?? String(error);
				if (NOT_PUBLISHED.test(message)) {
					throw Object.assign(new Error(`The sub-workflow ${workflowId} is not published`), {
						errorClass: 'validation',
						description: 'Outside manual runs n8n runs a sub-workflow\'s published version: publish the sub-workflow, then run this workflow again.',
					});
				}
				throw Object.assign(new Error(`The sub-workflow ${workflowId} failed: ${message}`), { errorClass: 'server', description: (error as { description?: string }).description });
			}
		},
	};
}
