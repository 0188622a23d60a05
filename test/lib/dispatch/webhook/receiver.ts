import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request as the receiver saw it. */
export interface ReceivedRequest {
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	/** The body bytes as they arrived (compressed when the sender compressed them). */
	raw: Buffer;
	/** The body decoded as n8n would: gunzipped when `content-encoding: gzip`. */
	text: string;
}

export type Reply =
	| { status: number; headers?: Record<string, string>; body?: unknown }
	/** Never answers: the sender's timeout or abort has to end it. */
	| 'hang';

export type Handler = (request: ReceivedRequest, index: number) => Reply;

/** Answers like a receiving workflow: the batch's items back as results. */
export const echoHandler: Handler = (request) => {
	const batch = JSON.parse(request.text) as { batchId?: string; items?: unknown[] };
	return { status: 200, body: { batchId: batch.batchId, results: batch.items ?? [] } };
};

/**
 * A real HTTP receiver on 127.0.0.1 for webhook dispatch tests. Counts TCP connections through the server's
 * 'connection' event, keeps every request, and answers through a handler the test can swap at any time.
 */
export class Receiver {
	readonly requests: ReceivedRequest[] = [];
	connections = 0;

	private constructor(
		private readonly server: Server,
		readonly port: number,
		public handler: Handler,
	) {}

	/** Starts a receiver on `port` (0: any free port). */
	static start(handler: Handler = echoHandler, port = 0): Promise<Receiver> {
		const server = createServer();
		return new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				const receiver = new Receiver(server, (server.address() as AddressInfo).port, handler);
				server.on('connection', () => {
					receiver.connections += 1;
				});
				server.on('request', (request, response) => {
					const chunks: Buffer[] = [];
					request.on('data', (chunk: Buffer) => chunks.push(chunk));
					request.on('end', () => {
						const raw = Buffer.concat(chunks);
						const decoded = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
						const received: ReceivedRequest = {
							method: request.method ?? '',
							path: request.url ?? '',
							headers: request.headers,
							raw,
							text: decoded.toString('utf8'),
						};
						receiver.requests.push(received);
						receiver.answer(response, receiver.handler(received, receiver.requests.length - 1));
					});
				});
				resolve(receiver);
			});
		});
	}

	url(path = '/webhook/batch'): string {
		return `http://127.0.0.1:${this.port}${path}`;
	}

	/** Requests to `path` only. */
	requestsTo(path: string): ReceivedRequest[] {
		return this.requests.filter((request) => request.path === path);
	}

	/** Stops listening and drops every open connection, hanging requests included. */
	close(): Promise<void> {
		return new Promise((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	private answer(response: ServerResponse, reply: Reply): void {
		if (reply === 'hang') return;
		const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
		response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
		response.end(body);
	}
}

/** A URL on 127.0.0.1 where nothing listens (connection refused), and the port it uses. */
export async function deadEndpoint(path = '/webhook/batch'): Promise<{ url: string; port: number }> {
	const receiver = await Receiver.start();
	await receiver.close();
	return { url: receiver.url(path), port: receiver.port };
}
