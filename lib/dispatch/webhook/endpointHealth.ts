import type { Clock } from '../../shared/clock';
import { integerOption, msOption } from './guards';

/**
 * `healthy`: takes requests. `ejected`: takes none until its cooldown ends. `half-open`: the cooldown is over
 * and one trial request at a time decides whether it becomes healthy again or is ejected for another cooldown.
 */
export type EndpointState = 'healthy' | 'ejected' | 'half-open';

/** Asks an endpoint out of band whether it is up (e.g. n8n's `/healthz`); `false` or a rejection means no. */
export type ActiveHealthCheck = (endpoint: string, signal?: AbortSignal) => Promise<boolean>;

export interface EndpointHealthOptions {
	clock: Clock;
	/** Consecutive failures that eject an endpoint. @default 3 */
	failureThreshold?: number;
	/** How long an ejected endpoint gets no requests before its trial. @default 30000 */
	cooldownMs?: number;
	/** Lets an ejected endpoint that passes it have its trial before the cooldown ends. */
	activeCheck?: ActiveHealthCheck;
	/** The shortest time between two active checks of one endpoint. @default 5000 */
	probeIntervalMs?: number;
}

/** Permission to send one request to an endpoint; hand it back through exactly one of the `record...` methods. */
export interface EndpointPass {
	readonly endpoint: string;
	/** The single trial of a half-open endpoint: its outcome decides the endpoint's state. */
	readonly trial: boolean;
}

/** Why a request failed, as it should appear in health reports (no secrets). */
export interface FailureNote {
	/** The response status, when one arrived. */
	status?: number;
	error: string;
}

/** An endpoint's health, for metrics and error messages. */
export interface EndpointHealthReport {
	endpoint: string;
	state: EndpointState;
	consecutiveFailures: number;
	/** A half-open endpoint's trial request is under way. */
	trialInFlight: boolean;
	/** When an ejected endpoint's cooldown ends (epoch ms). */
	ejectedUntil?: number;
	/** Times ejected since this object was created. */
	ejections: number;
	/** The status of the last answer; absent when the last request got none. */
	lastStatus?: number;
	/** The last failure's message. */
	lastError?: string;
}

interface HealthEntry {
	consecutiveFailures: number;
	ejectedUntil: number | undefined;
	trialInFlight: boolean;
	/** Counts ejections; a pass from an earlier epoch was issued before the latest ejection. */
	epoch: number;
	ejections: number;
	lastStatus?: number;
	lastError?: string;
	lastProbeAt?: number;
	probing: boolean;
}

interface IssuedPass extends EndpointPass {
	readonly epoch: number;
}

/**
 * Passive health per endpoint, from the outcomes of real requests: `failureThreshold` consecutive failures
 * eject an endpoint for `cooldownMs`; after the cooldown exactly one trial request is let through, and its
 * outcome makes the endpoint healthy or ejects it again. Outcomes of requests that were sent before the latest
 * ejection only update the last status and error: they say nothing about the endpoint since then.
 *
 * Endpoints are named by their URL without credentials and become known on first use.
 */
export class EndpointHealth {
	private readonly entries = new Map<string, HealthEntry>();
	private readonly settled = new WeakSet<EndpointPass>();
	private readonly clock: Clock;
	private readonly failureThreshold: number;
	private readonly cooldownMs: number;
	private readonly activeCheck: ActiveHealthCheck | undefined;
	private readonly probeIntervalMs: number;

	constructor(options: EndpointHealthOptions) {
		if (typeof options?.clock?.now !== 'function') throw new TypeError('Expected `clock` to be a Clock with a now() method');
		this.clock = options.clock;
		this.failureThreshold = integerOption('failureThreshold', options.failureThreshold, 3, 1);
		this.cooldownMs = msOption('cooldownMs', options.cooldownMs, 30_000, 0);
		this.probeIntervalMs = msOption('probeIntervalMs', options.probeIntervalMs, 5000, 0);
		if (options.activeCheck !== undefined && typeof options.activeCheck !== 'function') {
			throw new TypeError('Expected `activeCheck` to be a function (endpoint, signal) => Promise<boolean>');
		}
		this.activeCheck = options.activeCheck;
	}

	state(endpoint: string): EndpointState {
		const { ejectedUntil } = this.entry(endpoint);
		if (ejectedUntil === undefined) return 'healthy';
		return this.clock.now() < ejectedUntil ? 'ejected' : 'half-open';
	}

	/** Whether `acquire` would give a pass now; asks without taking a half-open endpoint's trial. */
	isAvailable(endpoint: string): boolean {
		const state = this.state(endpoint);
		return state === 'healthy' || (state === 'half-open' && !this.entry(endpoint).trialInFlight);
	}

	/**
	 * A pass for one request, or `undefined` while the endpoint is ejected or its trial is already under way.
	 * For a half-open endpoint the pass is the trial, and nobody else gets one until it is recorded.
	 */
	acquire(endpoint: string): EndpointPass | undefined {
		const entry = this.entry(endpoint);
		const state = this.state(endpoint);
		if (state === 'ejected') return undefined;
		if (state === 'half-open') {
			if (entry.trialInFlight) return undefined;
			entry.trialInFlight = true;
		}
		const pass: IssuedPass = Object.freeze({ endpoint, trial: state === 'half-open', epoch: entry.epoch });
		return pass;
	}

	/** The endpoint answered usefully (any status that is not worth a retry): it is up. */
	recordSuccess(pass: EndpointPass, status?: number): void {
		const issued = this.settle(pass);
		if (issued === undefined) return;
		const entry = this.entry(issued.endpoint);
		entry.lastStatus = status;
		if (issued.trial) entry.trialInFlight = false;
		// Only passes issued since the latest ejection match its epoch: the trial, or requests to a healthy endpoint.
		if (issued.epoch !== entry.epoch) return;
		entry.ejectedUntil = undefined;
		entry.consecutiveFailures = 0;
	}

	/** The request failed in a way that says the endpoint may be down: no answer, a timeout, 429 or 5xx. */
	recordFailure(pass: EndpointPass, note: FailureNote): void {
		const issued = this.settle(pass);
		if (issued === undefined) return;
		const entry = this.entry(issued.endpoint);
		entry.lastStatus = note.status;
		entry.lastError = note.error;
		if (issued.trial) entry.trialInFlight = false;
		if (issued.epoch !== entry.epoch) return;
		entry.consecutiveFailures += 1;
		if (issued.trial || entry.consecutiveFailures >= this.failureThreshold) this.eject(entry);
	}

	/** The request ended without a verdict (it was cancelled): a trial becomes available again. */
	release(pass: EndpointPass): void {
		const issued = this.settle(pass);
		if (issued?.trial) this.entry(issued.endpoint).trialInFlight = false;
	}

	/**
	 * Runs the active check for each of `endpoints` that is ejected, has no check under way and was not checked
	 * within `probeIntervalMs`. One that passes ends its cooldown early: it turns half-open, and its trial
	 * request, not the check, makes it healthy. Resolves with the endpoints that turned half-open.
	 */
	async probeEjected(endpoints: readonly string[], signal?: AbortSignal): Promise<string[]> {
		const check = this.activeCheck;
		if (check === undefined) return [];
		const now = this.clock.now();
		const due = endpoints.filter((endpoint) => {
			const entry = this.entry(endpoint);
			const recent = entry.lastProbeAt !== undefined && now - entry.lastProbeAt < this.probeIntervalMs;
			return this.state(endpoint) === 'ejected' && !entry.probing && !recent;
		});
		const outcomes = await Promise.all(
			due.map(async (endpoint) => {
				const entry = this.entry(endpoint);
				const epoch = entry.epoch;
				entry.probing = true;
				entry.lastProbeAt = now;
				let passed = false;
				try {
					passed = (await check(endpoint, signal)) === true;
				} catch {
					// A check that cannot run says as much as one that fails: the endpoint stays ejected.
				} finally {
					entry.probing = false;
				}
				if (!passed || entry.epoch !== epoch || this.state(endpoint) !== 'ejected') return undefined;
				entry.ejectedUntil = this.clock.now();
				return endpoint;
			}),
		);
		return outcomes.filter((endpoint): endpoint is string => endpoint !== undefined);
	}

	report(endpoint: string): EndpointHealthReport {
		const entry = this.entry(endpoint);
		const state = this.state(endpoint);
		const report: EndpointHealthReport = {
			endpoint,
			state,
			consecutiveFailures: entry.consecutiveFailures,
			trialInFlight: entry.trialInFlight,
			ejections: entry.ejections,
		};
		if (state === 'ejected') report.ejectedUntil = entry.ejectedUntil;
		if (entry.lastStatus !== undefined) report.lastStatus = entry.lastStatus;
		if (entry.lastError !== undefined) report.lastError = entry.lastError;
		return report;
	}

	/** Reports for the given endpoints, or for every endpoint seen so far. */
	reports(endpoints: readonly string[] = [...this.entries.keys()]): EndpointHealthReport[] {
		return endpoints.map((endpoint) => this.report(endpoint));
	}

	private entry(endpoint: string): HealthEntry {
		let entry = this.entries.get(endpoint);
		if (entry === undefined) {
			entry = { consecutiveFailures: 0, ejectedUntil: undefined, trialInFlight: false, epoch: 0, ejections: 0, probing: false };
			this.entries.set(endpoint, entry);
		}
		return entry;
	}

	/** The pass as issued, the first time it is handed back; `undefined` for a repeat or a foreign pass. */
	private settle(pass: EndpointPass): IssuedPass | undefined {
		const issued = pass as IssuedPass;
		if (this.settled.has(pass) || typeof issued.epoch !== 'number' || !this.entries.has(pass.endpoint)) return undefined;
		this.settled.add(pass);
		return issued;
	}

	private eject(entry: HealthEntry): void {
		entry.ejectedUntil = this.clock.now() + this.cooldownMs;
		entry.epoch += 1;
		entry.ejections += 1;
	}
}
