import type { SeriesId } from './metricEvent';

/**
 * The operation each of our nodes records once per unit of work. Everything else a node records (a batch's queue
 * wait, one HTTP attempt, a template's discover, map and render steps) is a sub-operation: a part of a unit or
 * time around it, shown in its own series and in a component's breakdown but never counted as another call.
 */
export const UNIT_OPERATIONS = {
	/** Optimized AI Call: one AI call (one input item), whether answered by the provider, the cache or a peer. */
	aiCall: 'chat',
	/** Optimized Chat Model: one model call of an agent or chain (one agent step), however it was served. */
	chatModelCall: 'chat',
	/** Batch Workflow Trigger: one dispatched batch, to a webhook or a sub-workflow. */
	webhookBatch: 'dispatchWebhook',
	subWorkflowBatch: 'dispatchSubWorkflow',
	/** Template Populate: one populated item. */
	populatedItem: 'populate',
	/** Perf Monitor: one monitor operation that records work, a span. */
	span: 'span',
	/**
	 * Perf Monitor's Analyze Executions: one run of any node (ours or n8n's) as n8n saved it in an execution. A unit
	 * of work for every node type: its readings are the only ones of their component (named after its workflow).
	 */
	executionNodeRun: 'nodeRun',
} as const;

/**
 * Sub-operations of Optimized AI Call in Provider Batch delivery: one `batchSubmit` per batch submitted (its
 * duration is the upload and creation, its items the distinct requests), one `batchComplete` per batch whose end
 * a run saw (its duration is the time from submission to completion, with the batch's cost and its saving against
 * the immediate price). The items themselves are `chat` units as in immediate delivery.
 */
export const AI_BATCH_OPERATIONS = { submit: 'batchSubmit', complete: 'batchComplete' } as const;

/** Units of work per component kind (the node type without its package prefix). */
const UNITS_BY_COMPONENT: Record<string, readonly string[]> = {
	optimizedAiCall: [UNIT_OPERATIONS.aiCall],
	optimizedChatModel: [UNIT_OPERATIONS.chatModelCall],
	batchWorkflowTrigger: [UNIT_OPERATIONS.webhookBatch, UNIT_OPERATIONS.subWorkflowBatch],
	templatePopulate: [UNIT_OPERATIONS.populatedItem],
	perfMonitor: [UNIT_OPERATIONS.span],
};

/**
 * The node type without its package prefix (`n8n-nodes-perf-optimizer.optimizedAiCall` -> `optimizedAiCall`).
 * Cut at the last dot, so a scoped package name (`@scope/n8n-nodes-x.node`) loses its whole prefix too.
 */
export function componentName(nodeType: string): string {
	return nodeType.slice(nodeType.lastIndexOf('.') + 1);
}

/** Whether the node type is one of this package's nodes (and not, say, an HTTP Request node timed by n8n). */
export function isPackageComponent(nodeType: string): boolean {
	return Object.hasOwn(UNITS_BY_COMPONENT, componentName(nodeType));
}

/**
 * Whether a series counts units of work: its calls are the component's calls, its durations the component's
 * latency and share of time. A component kind we do not know has no sub-operations, so all of its series count.
 */
export function isUnitOfWork(id: SeriesId): boolean {
	const units = UNITS_BY_COMPONENT[componentName(id.nodeType)];
	return units === undefined || units.includes(id.operation) || id.operation === UNIT_OPERATIONS.executionNodeRun;
}
