/** The signals n8n stops on (`n8n start`, workers and webhook processes alike). */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * A signal that aborts when this process is asked to stop. n8n waits for running executions before it exits (up to
 * its graceful-shutdown timeout) and saves their static data only once they end: a node that waits for hours
 * listens to this to end its execution in time, so what it recorded is saved. Only adds listeners (n8n's own
 * handlers run as before); `dispose` removes them.
 */
export function processShutdownSignal(): { signal: AbortSignal; dispose: () => void } {
	const controller = new AbortController();
	const onStop = (signal: NodeJS.Signals) => controller.abort(new Error(`the process received ${signal}`));
	for (const name of STOP_SIGNALS) process.once(name, onStop);
	return {
		signal: controller.signal,
		dispose: () => {
			for (const name of STOP_SIGNALS) process.off(name, onStop);
		},
	};
}
