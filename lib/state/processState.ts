import { LRUCache } from 'lru-cache';
import { SingleFlight } from '../cache';
import { RateLimiter, sleepWithSignal, type RateLimits } from '../resilience';
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
	/** In-flight work by key, across all workflows: identical calls from concurrent executions share one. */
	readonly singleFlight = new SingleFlight<unknown>();
	private readonly rateLimiters = new Map<string, RateLimiter>();
	/** Span start times by key (execution + span name); bounded so spans never ended cannot pile up. */
	private readonly spanStarts = new LRUCache<string, number>({ max: 10_000, ttl: 24 * 3_600_000 });

	/**
	 * Span starts live in the process that runs the execution (one execution never spans processes, also in
	 * queue mode), so every backend keeps them here.
	 */
	markSpanStart(key: string, at: number): void {
		this.spanStarts.set(key, at);
	}

	takeSpanStart(key: string): number | undefined {
		const start = this.spanStarts.get(key);
		this.spanStarts.delete(key);
		return start;
	}

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

	/** The process-wide limiter for a key (one per credential), created on first use and re-limited on change. */
	rateLimiter(key: string, limits: RateLimits): RateLimiter {
		let limiter = this.rateLimiters.get(key);
		if (limiter === undefined) {
			limiter = new RateLimiter(limits, this.clock, sleepWithSignal);
			this.rateLimiters.set(key, limiter);
		} else {
			limiter.reconfigure(limits);
		}
		return limiter;
	}

	private readonly sharedObjects = new Map<string, unknown>();

	/**
	 * A process-wide object by name, created on first use. This is the one place such objects live, so tests and
	 * restarts reset them with the rest of the process state. Declare each with `processSingleton` (or
	 * `processSingletonFamily`) rather than calling this with a name and a constructor at each use.
	 */
	shared<T>(name: string, create: () => T): T {
		let value = this.sharedObjects.get(name) as T | undefined;
		if (value === undefined) {
			value = create();
			this.sharedObjects.set(name, value);
		}
		return value;
	}

	/** Closes shared objects that hold connections or watchers (pools, folder watchers), as at shutdown. */
	async close(): Promise<void> {
		const closing = [...this.sharedObjects.values()].map((value) => (value as { close?: () => unknown })?.close?.());
		this.sharedObjects.clear();
		await Promise.allSettled(closing);
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

/** Drops the process-wide state, as a restart would, closing its pools and watchers. For tests and benchmarks. */
export function resetSharedProcessState(): Promise<void> {
	const previous = shared;
	shared = undefined;
	return previous ? previous.close() : Promise.resolve();
}
