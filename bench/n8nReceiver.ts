import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * The downstream services of the n8n benchmark, on loopback in the bench process (they only wait, so they take no
 * CPU from n8n):
 * - `/work`: takes 1 ms per item it receives, in one go (100 ms for a batch of 100): a service whose work grows
 *   with what it is sent, as most bulk APIs do. Answers with the items it got, each marked `processed`.
 * - `/hook`: answers every request after 5 ms, like a receiving workflow that responds with all its items: a batch
 *   `{ batchId, items }` (gzip or not) gets its items back as an array, a single item gets itself back.
 */
export interface BenchReceiver {
	readonly url: string;
	/** Requests each path has answered so far. */
	requests(path: '/work' | '/hook'): number;
	close(): Promise<void>;
}

const WORK_MS_PER_ITEM = 1;
const HOOK_LATENCY_MS = 5;

export async function startBenchReceiver(): Promise<BenchReceiver> {
	const counts = { '/work': 0, '/hook': 0 };
	const server: Server = createServer((request, response) => {
		readBody(request)
			.then((body) => answer(request.url ?? '', body, response, counts))
			.catch((error: Error) => reply(response, 400, { error: error.message }));
	});
	server.keepAliveTimeout = 30_000;
	await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests: (path) => counts[path],
		close: () =>
			new Promise((closed) => {
				server.closeAllConnections();
				server.close(() => closed());
			}),
	};
}

async function readBody(request: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const raw = Buffer.concat(chunks);
	const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
	return text ? JSON.parse(text) : undefined;
}

function answer(path: string, body: unknown, response: ServerResponse, counts: Record<'/work' | '/hook', number>): void {
	if (path.startsWith('/work')) {
		const items = Array.isArray(body) ? body : [body];
		counts['/work']++;
		setTimeout(() => reply(response, 200, items.map((item) => ({ ...(item as object), processed: true }))), items.length * WORK_MS_PER_ITEM);
		return;
	}
	if (path.startsWith('/hook')) {
		counts['/hook']++;
		const batch = body as { batchId?: string; items?: unknown[] };
		const answered = Array.isArray(batch?.items) ? batch.items : body;
		setTimeout(() => reply(response, 200, answered), HOOK_LATENCY_MS);
		return;
	}
	reply(response, 404, { error: `no route ${path}` });
}

function reply(response: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
	response.end(text);
}
