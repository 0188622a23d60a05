import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { IExecuteFunctions } from 'n8n-workflow';
import { sharedProcessState, StaticDataStateStore, type StateStore } from '../../lib/state';

/** The state key for workflows that have no id yet (never saved); n8n persists nothing for them anyway. */
const UNSAVED_WORKFLOW_ID = 'unsaved';

/**
 * Names this n8n process in per-instance counters. Stable across restarts of the same instance on the same
 * host (so a restart continues its own counters), different between hosts and containers (so several workers
 * never overwrite each other's). Hashed: the raw n8n instance id is not ours to publish.
 */
function processInstanceId(context: IExecuteFunctions): string {
	return createHash('sha256')
		.update(`${context.getInstanceId()}|${hostname()}`)
		.digest('base64url')
		.slice(0, 10);
}

export interface OpenStateOptions {
	/** Cap of the persisted snapshot in bytes. @default 64 KiB */
	maxSnapshotBytes?: number;
}

/**
 * Opens this execution's view of the workflow's state. Call `commit()` on the result when the node is done,
 * also when it fails, so that what was recorded reaches static data.
 */
export function openStateStore(context: IExecuteFunctions, options: OpenStateOptions = {}): StateStore {
	const process = sharedProcessState({ instanceId: processInstanceId(context), logger: context.logger });
	return new StaticDataStateStore({
		process,
		workflowId: context.getWorkflow().id ?? UNSAVED_WORKFLOW_ID,
		staticData: context.getWorkflowStaticData('global'),
		logger: context.logger,
		maxSnapshotBytes: options.maxSnapshotBytes,
	});
}
