import { systemClock, type Clock } from '../../shared/clock';
import type { EngineLogger } from '../../shared/logger';

export interface RedisHealthOptions {
	/** Names the server in log lines (no password). */
	target: string;
	logger: EngineLogger;
	/** After a failure, calls skip Redis for this long; then one call probes it. */
	retryAfterMs: number;
	clock?: Clock;
	/** Removes secrets from error text before it is logged. */
	redact?: (text: string) => string;
}

/** What {@link RedisHealth.begin} hands out: whether the call is a probe, and which up/down period it belongs to. */
export interface HealthTicket {
	probe: boolean;
	period: number;
}

/**
 * One circuit per connection, shared by every store of the process. While Redis answers, calls go through.
 * The first failure opens the circuit (one warning); calls then skip Redis and use their fallback without
 * waiting, and every `retryAfterMs` a single call probes Redis again. The first probe that succeeds closes it
 * (one "reachable again" warning). A call that started before the circuit changed state cannot change it back,
 * so slow answers from before an outage never flap it.
 */
export class RedisHealth {
	private readonly clock: Clock;
	private down = false;
	private retryAt = 0;
	private probing = false;
	/** Grows on every change between up and down. */
	private period = 0;

	constructor(private readonly options: RedisHealthOptions) {
		this.clock = options.clock ?? systemClock;
	}

	get up(): boolean {
		return !this.down;
	}

	/** A ticket for a call about to go to Redis, or `undefined` when the call should skip Redis now. */
	begin(): HealthTicket | undefined {
		if (!this.down) return { probe: false, period: this.period };
		if (this.probing || this.clock.now() < this.retryAt) return undefined;
		this.probing = true;
		return { probe: true, period: this.period };
	}

	succeeded(ticket: HealthTicket): void {
		if (!ticket.probe) return;
		this.probing = false;
		if (ticket.period !== this.period || !this.down) return;
		this.down = false;
		this.period++;
		this.options.logger.warn(
			`perf-optimizer: Redis at ${this.options.target} is reachable again; state is shared across processes again`,
		);
	}

	failed(ticket: HealthTicket, error: unknown): void {
		if (ticket.probe) this.probing = false;
		if (ticket.period !== this.period) return;
		if (this.down) {
			this.retryAt = this.clock.now() + this.options.retryAfterMs;
			return;
		}
		this.open(error);
	}

	/** The client saw its connection drop: open the circuit without waiting for a call to fail. */
	connectionLost(error?: unknown): void {
		if (!this.down) this.open(error ?? new Error('connection closed'));
	}

	/** The client is connected again: let the next call probe at once instead of after `retryAfterMs`. */
	connectionReady(): void {
		if (this.down) this.retryAt = 0;
	}

	private open(error: unknown): void {
		this.down = true;
		this.period++;
		this.retryAt = this.clock.now() + this.options.retryAfterMs;
		const reason = error instanceof Error ? error.message : String(error);
		const safeReason = this.options.redact ? this.options.redact(reason) : reason;
		this.options.logger.warn(
			`perf-optimizer: Redis at ${this.options.target} is unavailable (${safeReason}); ` +
				'this process uses its own in-process state until it is back',
		);
	}
}
