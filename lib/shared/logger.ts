/**
 * The part of n8n's logger that engines use. Nodes pass `this.logger`; engines never print to the console.
 */
export interface EngineLogger {
	warn(message: string, metadata?: Record<string, unknown>): void;
	debug(message: string, metadata?: Record<string, unknown>): void;
}

export const silentLogger: EngineLogger = {
	warn: () => undefined,
	debug: () => undefined,
};
