import type { EndpointHealth, EndpointPass } from './endpointHealth';

/**
 * `round-robin`: endpoints in turn, so equal receivers get equal shares. `least-pending`: the endpoint with the
 * fewest requests under way (ties in turn), so a slow receiver gets fewer batches while it is slow.
 */
export type BalancingStrategy = 'round-robin' | 'least-pending';

export const BALANCING_STRATEGIES: readonly BalancingStrategy[] = ['round-robin', 'least-pending'];

/**
 * Chooses the endpoint for each request among those the health state lets through: ejected endpoints are
 * skipped, and a half-open endpoint is chosen when its turn comes and its single trial is free. Counts the
 * requests under way per endpoint for `least-pending`; the caller reports them with `started` and `finished`.
 */
export class LoadBalancer {
	private cursor = 0;
	private readonly pendingByEndpoint = new Map<string, number>();

	constructor(readonly strategy: BalancingStrategy = 'round-robin') {
		if (!BALANCING_STRATEGIES.includes(strategy)) {
			throw new TypeError(`Expected \`strategy\` to be one of ${BALANCING_STRATEGIES.join(', ')}, got ${JSON.stringify(strategy)}`);
		}
	}

	/**
	 * Takes a pass from `health` for the chosen endpoint, or returns `undefined` when none can take a request.
	 * Endpoints in `avoid` (those a batch already failed on) are chosen only when no other one can be.
	 */
	pick(endpoints: readonly string[], health: EndpointHealth, avoid: ReadonlySet<string> = new Set()): EndpointPass | undefined {
		const count = endpoints.length;
		if (count === 0) return undefined;
		const start = this.cursor % count;
		const inTurn = endpoints.map((_, offset) => endpoints[(start + offset) % count]);
		// Array.prototype.sort is stable: equal pending counts keep their turn order.
		const ordered = this.strategy === 'least-pending' ? [...inTurn].sort((a, b) => this.pending(a) - this.pending(b)) : inTurn;
		const candidates = [...ordered.filter((endpoint) => !avoid.has(endpoint)), ...ordered.filter((endpoint) => avoid.has(endpoint))];
		for (const endpoint of candidates) {
			const pass = health.acquire(endpoint);
			if (pass === undefined) continue;
			// Round-robin continues after the chosen endpoint; least-pending just moves its tie-break on by one.
			this.cursor = this.strategy === 'round-robin' ? (endpoints.indexOf(endpoint) + 1) % count : (start + 1) % count;
			return pass;
		}
		return undefined;
	}

	started(endpoint: string): void {
		this.pendingByEndpoint.set(endpoint, this.pending(endpoint) + 1);
	}

	finished(endpoint: string): void {
		const pending = this.pending(endpoint) - 1;
		if (pending > 0) this.pendingByEndpoint.set(endpoint, pending);
		else this.pendingByEndpoint.delete(endpoint);
	}

	/** Requests under way to `endpoint`. */
	pending(endpoint: string): number {
		return this.pendingByEndpoint.get(endpoint) ?? 0;
	}
}
