import { LRUCache } from 'lru-cache';
import { systemClock, type Clock } from '../shared/clock';
import { silentLogger, type EngineLogger } from '../shared/logger';
import { WorkflowState } from './workflowState';

export interface ProcessStateOptions {
	/** Names this process in per-instance counters; stable across restarts of the same n8n instance on one host. */
	instanceId: string;
	clock?: Clock;
	logger?: EngineLogger;
	/** Workflows whose state is kept in memory at most; the least recently used are dropped (their snapshot stays). @default 500 */
	maxWorkflows?: number;
}

/** The process-wide layer: one {@link WorkflowState} per workflow id, shared by all executions in this process. */
export class ProcessState {
	readonly instanceId: string;
	readonly clock: Clock;
	private readonly logger: EngineLogger;
	private readonly states: LRUCache<string, WorkflowState>;

	constructor(options: ProcessStateOptions) {
		if (!options.instanceId) throw new TypeError('Expected `instanceId` to be a non-empty string');
		this.instanceId = options.instanceId;
		this.clock = options.clock ?? systemClock;
		this.logger = options.logger ?? silentLogger;
		this.states = new LRUCache({ max: options.maxWorkflows ?? 500 });
	}

	workflow(workflowId: string): WorkflowState {
		let state = this.states.get(workflowId);
		if (state === undefined) {
			state = new WorkflowState(workflowId, this.instanceId, this.clock, this.logger);
			this.states.set(workflowId, state);
		}
		return state;
	}

	/** Every workflow currently held, for process-wide reports. */
	workflows(): WorkflowState[] {
		return [...this.states.values()];
	}
}

let shared: ProcessState | undefined;

/**
 * The one process-wide state. The first caller's options create it; later callers share it (one n8n process
 * has one instance id).
 */
export function sharedProcessState(options: ProcessStateOptions): ProcessState {
	shared ??= new ProcessState(options);
	return shared;
}

/** Drops the process-wide state, as a restart would. For tests and benchmarks. */
export function resetSharedProcessState(): void {
	shared = undefined;
}
