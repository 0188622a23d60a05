/**
 * Redis did not serve a command: the circuit is open, the connection is down, the command timed out or Redis
 * answered with an error. Whoever holds a fallback serves the call from it; nothing else should see this error.
 */
export class RedisUnavailableError extends Error {
	override name = 'RedisUnavailableError';

	constructor(
		message: string,
		/** False when the command surely never reached Redis (circuit open, not connected): nothing to undo or dedupe. */
		readonly mayHaveRun: boolean,
		options?: { cause?: unknown },
	) {
		super(message, options);
	}
}
