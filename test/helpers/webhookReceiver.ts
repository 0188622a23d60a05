import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedBatch {
	headers: IncomingHttpHeaders;
	body: { batchId: string; items: Array<Record<string, unknown>> };
	/** Bytes as they came over the wire (compressed when gzip was used). */
	wireBytes: number;
}

export interface WebhookReceiver {
	/** A production-webhook-like URL on this receiver. */
	readonly url: string;
	readonly batches: ReceivedBatch[];
	/** TCP connections accepted so far: keep-alive reuse keeps this low. */
	connections(): number;
	/** Scripted answers for the next requests (status and headers), before the normal echo. */
	failNext(...replies: Array<{ status: number; headers?: Record<string, string> }>): void;
	close(): Promise<void>;
}

/**
 * An n8n-webhook-like receiver on 127.0.0.1: accepts `{ batchId, items }` (gzip or plain), and answers with every
 * item marked `processed: true` by this receiver, as a workflow ending in "Respond to Webhook: all items" would.
 */
export async function startWebhookReceiver(name: string, options: { latencyMs?: number } = {}): Promise<WebhookReceiver> {
	const batches: ReceivedBatch[] = [];
	const scripted: Array<{ status: number; headers?: Record<string, string> }> = [];
	const sockets = new Set<Socket>();
	let connections = 0;
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const raw = Buffer.concat(chunks);
			const reply = () => {
				const next = scripted.shift();
				if (next) {
					response.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
					response.end(JSON.stringify({ message: `scripted ${next.status}` }));
					return;
				}
				const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
				const body = JSON.parse(text) as ReceivedBatch['body'];
				batches.push({ headers: request.headers, body, wireBytes: raw.length });
				response.writeHead(200, { 'content-type': 'application/json' });
				response.end(JSON.stringify(body.items.map((item) => ({ ...item, processed: true, by: name }))));
			};
			if (options.latencyMs) setTimeout(reply, options.latencyMs);
			else reply();
		});
	});
	server.on('connection', (socket: Socket) => {
		connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/${name}`,
		batches,
		connections: () => connections,
		failNext: (...replies) => scripted.push(...replies),
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
