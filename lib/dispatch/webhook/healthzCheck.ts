import type { ActiveHealthCheck } from './endpointHealth';
import type { EndpointPools } from './endpointPool';
import { msOption } from './guards';

export interface HealthzCheckOptions {
	/** A check slower than this counts as failed; kept short, since it only decides about early re-admission. @default 2000 */
	timeoutMs?: number;
	/** The path on the endpoint's origin; n8n answers `GET /healthz` with 200 while it runs. @default '/healthz' */
	path?: string;
}

/**
 * An active health check for `EndpointHealth`: GET `<origin><path>` through the endpoint's connection pool,
 * without the endpoint's auth headers (they belong to the webhook, not to the instance). Any 2xx passes.
 */
export function healthzCheck(pools: EndpointPools, options: HealthzCheckOptions = {}): ActiveHealthCheck {
	const timeoutMs = msOption('timeoutMs', options.timeoutMs, 2000, 1);
	const path = options.path ?? '/healthz';
	if (typeof path !== 'string' || !path.startsWith('/')) {
		throw new TypeError(`Expected \`path\` to start with "/", got ${JSON.stringify(path)}`);
	}
	return async (endpoint, signal) => {
		const status = await pools.getStatus(`${new URL(endpoint).origin}${path}`, { timeoutMs, signal });
		return status >= 200 && status < 300;
	};
}
