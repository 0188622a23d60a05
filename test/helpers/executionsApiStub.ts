import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One node run of a stand-in execution. */
export interface StubNodeRun {
	name: string;
	type: string;
	executionTime: number;
	/** Items on the node's output. @default 1 */
	items?: number;
	/** The node failed with this message (and HTTP code, when given). */
	error?: { message: string; httpCode?: string };
}

export interface StubExecution {
	id: number;
	workflowId: string;
	status: 'success' | 'error' | 'waiting' | 'crashed';
	startedAt: number;
	runs: StubNodeRun[];
}

export interface ExecutionsApiStubOptions {
	apiKey?: string;
	/** Bytes of item payload per output item, so pages weigh what real ones do. @default 200 */
	itemBytes?: number;
	/** Workflow names by id, for `workflowData.name` and `GET /workflows`. */
	workflowNames?: Record<string, string>;
	/** Refuse `startedAfter` with HTTP 400, as n8n 1.x does. */
	withoutStartedAfter?: boolean;
	/** Answers `GET /_stub/<name>` (no key needed), for a caller in another process; undefined = 404. */
	control?: (name: string, query: URLSearchParams) => unknown;
}

/**
 * A local stand-in of n8n's public executions API (n8n 2.40's `GET /api/v1/executions`): newest first by id,
 * `limit` up to 250, a base64 JSON cursor `{ lastId, limit }`, `startedAfter`, `workflowId`, `includeData`, the
 * API key in `X-N8N-API-KEY` (401 otherwise), and `GET /api/v1/workflows`. Executions are kept as timings and
 * their JSON, item data included, is built per page, so thousands cost little memory here.
 */
export class ExecutionsApiStub {
	readonly executions: StubExecution[] = [];
	/** Requests seen, by path with query. */
	readonly requests: string[] = [];
	/** Answer the next requests with these statuses, one each (e.g. 429, 500); `'drop'` closes the connection. */
	readonly failNext: Array<number | 'drop'> = [];
	/** Answer the request with this number (1 = the first) with this status, or drop its connection. */
	readonly failAt = new Map<number, number | 'drop'>();
	private server?: Server;
	private readonly apiKey: string;
	private readonly itemBytes: number;
	private readonly workflowNames: Record<string, string>;
	private readonly control?: ExecutionsApiStubOptions['control'];
	private readonly withoutStartedAfter: boolean;

	constructor(options: ExecutionsApiStubOptions = {}) {
		this.control = options.control;
		this.withoutStartedAfter = options.withoutStartedAfter ?? false;
		this.apiKey = options.apiKey ?? 'stub-api-key-123456';
		this.itemBytes = options.itemBytes ?? 200;
		this.workflowNames = options.workflowNames ?? {};
	}

	get key(): string {
		return this.apiKey;
	}

	/** Adds executions with increasing ids; runs' start times follow one another from `startedAt`. */
	add(execution: Omit<StubExecution, 'id'>): StubExecution {
		const id = (this.executions.at(-1)?.id ?? 0) + 1;
		const stored = { id, ...execution };
		this.executions.push(stored);
		return stored;
	}

	async start(): Promise<string> {
		this.server = createServer((request, response) => this.handle(request, response));
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		return `http://127.0.0.1:${port}/api/v1`;
	}

	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	private handle(request: IncomingMessage, response: ServerResponse): void {
		const url = new URL(request.url ?? '/', 'http://stub');
		if (url.pathname.startsWith('/_stub/')) {
			const answer = this.control?.(url.pathname.slice('/_stub/'.length), url.searchParams);
			return answer === undefined ? send(response, 404, { message: 'no such control' }) : send(response, 200, answer);
		}
		this.requests.push(url.pathname + url.search);
		const failure = this.failAt.get(this.requests.length) ?? this.failNext.shift();
		if (failure === 'drop') {
			request.socket.destroy();
			return;
		}
		if (failure !== undefined) return send(response, failure, { message: failure === 429 ? 'Too many requests' : 'Internal error' });
		if (request.headers['x-n8n-api-key'] !== this.apiKey) return send(response, 401, { message: 'unauthorized' });
		if (url.pathname === '/api/v1/workflows') {
			const ids = [...new Set(this.executions.map((execution) => execution.workflowId))];
			return send(response, 200, { data: ids.map((id) => ({ id, name: this.workflowNames[id] ?? id })), nextCursor: null });
		}
		if (url.pathname !== '/api/v1/executions') return send(response, 404, { message: 'not found' });
		const query = url.searchParams;
		let limit = Math.min(Number(query.get('limit') ?? 100), 250);
		let lastId = Infinity;
		const cursor = query.get('cursor');
		if (cursor) {
			const decoded = JSON.parse(Buffer.from(cursor, 'base64').toString()) as { lastId: string; limit: number };
			lastId = Number(decoded.lastId);
			limit = decoded.limit;
		}
		const workflowId = query.get('workflowId');
		if (this.withoutStartedAfter && query.has('startedAfter')) return send(response, 400, { message: "Unknown query parameter 'startedAfter'" });
		const startedAfter = query.get('startedAfter') ? Date.parse(query.get('startedAfter')!) : -Infinity;
		const matching: StubExecution[] = [];
		let more = false;
		for (let index = this.executions.length - 1; index >= 0; index--) {
			const execution = this.executions[index];
			if (execution.id >= lastId || (workflowId && execution.workflowId !== workflowId) || execution.startedAt <= startedAfter) continue;
			if (matching.length === limit) {
				more = true;
				break;
			}
			matching.push(execution);
		}
		const includeData = query.get('includeData') === 'true';
		const nextCursor = more ? Buffer.from(JSON.stringify({ lastId: String(matching.at(-1)!.id), limit })).toString('base64') : null;
		send(response, 200, { data: matching.map((execution) => this.toJson(execution, includeData)), nextCursor });
	}

	private toJson(execution: StubExecution, includeData: boolean): Record<string, unknown> {
		let time = execution.startedAt;
		const runData: Record<string, unknown[]> = {};
		for (const run of execution.runs) {
			const items = Array.from({ length: run.items ?? 1 }, (_, index) => ({ json: { index, payload: 'x'.repeat(this.itemBytes) }, pairedItem: { item: index } }));
			runData[run.name] = [
				{
					startTime: time,
					executionIndex: 0,
					executionTime: run.executionTime,
					executionStatus: run.error ? 'error' : 'success',
					source: [],
					...(run.error ? { error: { message: run.error.message, name: 'NodeOperationError', ...(run.error.httpCode ? { httpCode: run.error.httpCode } : {}) } } : { data: { main: [items] } }),
				},
			];
			time += run.executionTime;
		}
		const base = {
			id: String(execution.id),
			finished: execution.status === 'success',
			mode: 'trigger',
			retryOf: null,
			retrySuccessId: null,
			status: execution.status,
			startedAt: new Date(execution.startedAt).toISOString(),
			stoppedAt: execution.status === 'waiting' ? null : new Date(time).toISOString(),
			workflowId: execution.workflowId,
			waitTill: null,
		};
		if (!includeData) return base;
		const name = this.workflowNames[execution.workflowId] ?? execution.workflowId;
		return {
			...base,
			data: { version: 1, startData: {}, resultData: { runData, lastNodeExecuted: execution.runs.at(-1)?.name }, executionData: { contextData: {}, nodeExecutionStack: [], waitingExecution: {} } },
			workflowData: { id: execution.workflowId, name, nodes: execution.runs.map((run) => ({ name: run.name, type: run.type, typeVersion: 1, parameters: {} })), connections: {} },
		};
	}
}

function send(response: ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, { 'content-type': 'application/json' });
	response.end(JSON.stringify(body));
}
