import { ProcessState } from '../../../../lib/state';
import { createRedisConnection, RedisStateStore, type RedisConnection, type RedisConnectionOptions } from '../../../../lib/state/redis';
import type { EngineLogger } from '../../../../lib/shared/logger';
import type { RedisTestServer } from '../../../helpers/redisServer';

export function recordingLogger(): EngineLogger & { warnings: string[] } {
	const warnings: string[] = [];
	return { warnings, warn: (message) => warnings.push(message), debug: () => undefined };
}

/**
 * Connections to one test server, each test under its own key prefix so tests never see each other's keys.
 * A connection stands for one n8n process.
 */
export class RedisKit {
	private readonly connections: RedisConnection[] = [];
	private prefixes = 0;

	constructor(private readonly server: () => RedisTestServer) {}

	newPrefix(): string {
		return `test${++this.prefixes}:`;
	}

	connect(keyPrefix: string, options: RedisConnectionOptions = {}, logger?: EngineLogger): RedisConnection {
		const connection = createRedisConnection({ port: this.server().port, keyPrefix, ...options }, { logger });
		this.connections.push(connection);
		return connection;
	}

	open(connection: RedisConnection, workflowId = 'wf1', process = new ProcessState({ instanceId: 'host-a' })): RedisStateStore {
		return new RedisStateStore({ connection, process, workflowId });
	}

	async closeAll(): Promise<void> {
		await Promise.all(this.connections.splice(0).map((connection) => connection.close()));
	}
}

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 20 ms until it holds; fails after `timeoutMs`. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
		await delay(20);
	}
}
