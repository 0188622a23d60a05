import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';

/**
 * The agent's tool backend for the agent benchmark: GET /fact/<topic> answers one deterministic fact for the topic
 * (text/plain) and counts the call, so the bench knows exactly how many tool executions each workflow made, whoever
 * supplied the model answers.
 */
export interface FactServer {
	/** Base URL without a trailing slash, e.g. http://127.0.0.1:PORT */
	readonly url: string;
	/** Tool executions answered since start or the last reset(). */
	calls(): number;
	reset(): void;
	close(): Promise<void>;
}

/** The fact the server answers for a topic; the agent's final answer must contain it. */
export function factFor(topic: string): string {
	const code = parseInt(createHash('sha256').update(topic).digest('hex').slice(0, 8), 16) % 100_000;
	return `fact ${topic} = ${code}`;
}

export async function startFactServer(): Promise<FactServer> {
	let count = 0;
	const server: Server = createServer((request, response) => {
		const match = /^\/fact\/([A-Za-z0-9_-]+)$/.exec(new URL(request.url ?? '/', 'http://fact').pathname);
		if (request.method !== 'GET' || match === null) {
			response.writeHead(404, { 'content-type': 'text/plain' }).end(`no such route: ${request.method} ${request.url}`);
			return;
		}
		count++;
		response.writeHead(200, { 'content-type': 'text/plain' }).end(factFor(match[1]));
	});
	await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('the fact server is not listening on a TCP port');
	return {
		url: `http://127.0.0.1:${address.port}`,
		calls: () => count,
		reset: () => {
			count = 0;
		},
		close: () =>
			new Promise<void>((closed) => {
				server.close(() => closed());
				server.closeAllConnections();
			}),
	};
}
