import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { sharedProcessState, StaticDataStateStore, type ProcessState, type StateStore } from '../../lib/state';
import { REDIS_CREDENTIAL, redisOptionsFromCredential } from './redisCredential';
import { SettingsReader } from './settings';
import { metricsFlushField } from './stateBackend';

/** The state key for workflows that have no id yet (never saved); n8n persists nothing for them anyway. */
const UNSAVED_WORKFLOW_ID = 'unsaved';

/**
 * Names this n8n process in per-instance counters. Stable across restarts of the same instance on the same
 * host (so a restart continues its own counters), different between hosts and containers (so several workers
 * never overwrite each other's). Hashed: the raw n8n instance id is not ours to publish.
 */
function processInstanceId(context: StateContext): string {
	return createHash('sha256')
		.update(`${context.getInstanceId()}|${hostname()}`)
		.digest('base64url')
		.slice(0, 10);
}

/** What opening the state needs of n8n: the same in a node's `execute` and a sub-node's `supplyData`. */
export type StateContext = Pick<
	IExecuteFunctions,
	'getInstanceId' | 'getWorkflow' | 'getWorkflowStaticData' | 'getNodeParameter' | 'getCredentials' | 'getNode' | 'logger'
>;

export interface OpenStateOptions {
	/** Cap of the persisted snapshot in bytes. @default 64 KiB */
	maxSnapshotBytes?: number;
}

/** The Redis store over this process's connection to the credential's server, falling back to `fallback`. */
async function redisStore(context: StateContext, process: ProcessState, workflowId: string, fallback: StateStore): Promise<StateStore> {
	// Loaded on first use, so workflows on static data never load the Redis client.
	const { FallbackStateStore, RedisStateStore } = await import('../../lib/state/redis');
	const { redisConnections } = await import('./redisConnections');
	const options = redisOptionsFromCredential(await context.getCredentials(REDIS_CREDENTIAL));
	let connection;
	try {
		connection = redisConnections(process, { options, logger: context.logger });
	} catch (error) {
		// A bad field of the credential (a port out of range): say so, naming the credential, for every item.
		throw new NodeOperationError(context.getNode(), `The Perf Optimizer Redis API credential is not usable: ${(error as Error).message}`, { itemIndex: 0 });
	}
	return new FallbackStateStore({ primary: new RedisStateStore({ connection, process, workflowId }), fallback });
}

/**
 * Opens this execution's view of the workflow's state on the backend the node's "State Backend" parameter
 * chooses. Call `commit()` on the result when the node is done, also when it fails, so that what was recorded
 * is kept. With Redis, the workflow's static data is the fallback while Redis is unreachable.
 */
export async function openStateStore(context: StateContext, options: OpenStateOptions = {}): Promise<StateStore> {
	const process = sharedProcessState({ instanceId: processInstanceId(context), logger: context.logger });
	const workflowId = context.getWorkflow().id ?? UNSAVED_WORKFLOW_ID;
	const flushSeconds = new SettingsReader(context, [metricsFlushField]).number('metricsFlushSeconds', { fallback: 60, minimum: 0, maximum: 86400, whole: false });
	const staticDataStore = new StaticDataStateStore({
		process,
		workflowId,
		staticData: context.getWorkflowStaticData('global'),
		logger: context.logger,
		maxSnapshotBytes: options.maxSnapshotBytes,
		flushIntervalMs: flushSeconds * 1000,
	});
	if (context.getNodeParameter('stateBackend', 0, 'staticData') !== 'redis') return staticDataStore;
	return await redisStore(context, process, workflowId, staticDataStore);
}

/**
 * Runs a node's work with its state store, commits it afterwards (also after errors), and, when state is not
 * in static data, tells the user which backend served: `stateBackend: "redis"`, or `"degraded"` when Redis was
 * unreachable and this process used its own state. It goes into each item's `metadataField` object (e.g.
 * `optimization`) when the item has one, else at the top level.
 */
export async function withStateStore(
	context: IExecuteFunctions,
	metadataField: string | undefined,
	work: (store: StateStore) => Promise<INodeExecutionData[][]>,
): Promise<INodeExecutionData[][]> {
	const store = await openStateStore(context);
	let outputs: INodeExecutionData[][];
	try {
		outputs = await work(store);
	} finally {
		await store.commit();
	}
	if (store.backend !== 'static-data') stampStateBackend(outputs, store.backend, metadataField);
	return outputs;
}

function stampStateBackend(outputs: INodeExecutionData[][], backend: string, metadataField: string | undefined): void {
	for (const items of outputs) {
		for (const item of items) {
			const metadata = metadataField === undefined ? undefined : item.json[metadataField];
			if (metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata)) (metadata as IDataObject).stateBackend = backend;
			else if (metadataField === undefined) item.json.stateBackend = backend;
		}
	}
}
