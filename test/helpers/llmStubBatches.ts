import type { Provider } from './llmStubConversation';

/**
 * The providers' batch APIs for the LLM stub: OpenAI's Files + Batches (a JSONL file uploaded as multipart, a batch
 * created on it, output and error files read back) and Anthropic's Message Batches (requests in the body, results
 * as JSONL). Each request of a batch is answered at submission by the stub's own completion logic (echo, markers:
 * `[[status:NNN]]` in a prompt fails that request alone), and revealed when the batch ends: `completionDelayMs`
 * after creation, or at once by `finishAll()`. With `expire` set, batches expire at that moment instead, with no
 * answers. State lives as long as the stub, so it survives a restart of the n8n that uses it.
 */

export interface StubBatchOptions {
	/** Time from a batch's creation to its end. @default 0 */
	completionDelayMs?: number;
	/** Whether batches expire when their time comes, answering nothing. @default false */
	expire?: boolean;
}

export interface StubBatchCounters {
	batchesCreated: number;
	/** Requests in every batch created. */
	requestsSubmitted: number;
	batchesCancelled: number;
}

/** What the stub's completion logic answered for one request: a status and the JSON body the provider would send. */
export type AnswerOne = (provider: Provider, body: any) => { status: number; body: unknown };

/** A reply for the stub server to write. */
export interface BatchReply {
	status: number;
	contentType: string;
	payload: string;
}

interface StubBatch {
	id: string;
	provider: Provider;
	createdAt: number;
	endsAt: number;
	expire: boolean;
	cancelled: boolean;
	inputFileId?: string;
	/** By custom id, in submission order. */
	answers: Array<{ customId: string; status: number; body: unknown }>;
	outputFileId?: string;
	errorFileId?: string;
}

const OPENAI_CHAT_PATH = '/v1/chat/completions';
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/** Which batch route a path is, if any. */
export function batchRouteProvider(path: string): Provider | undefined {
	if (path === '/v1/messages/batches' || path.startsWith('/v1/messages/batches/')) return 'anthropic';
	if (path === '/v1/files' || path.startsWith('/v1/files/') || path === '/v1/batches' || path.startsWith('/v1/batches/')) return 'openai';
	return undefined;
}

export class StubBatches {
	private readonly batches = new Map<string, StubBatch>();
	private readonly files = new Map<string, { purpose: string; content: string }>();
	private options: Required<StubBatchOptions> = { completionDelayMs: 0, expire: false };
	private counters: StubBatchCounters = { batchesCreated: 0, requestsSubmitted: 0, batchesCancelled: 0 };
	private sequence = 0;

	constructor(private readonly answerOne: AnswerOne) {}

	configure(options: StubBatchOptions): void {
		this.options = { ...this.options, ...options };
	}

	stats(): StubBatchCounters {
		return { ...this.counters };
	}

	/** Ends every batch still running, as if its time had come. */
	finishAll(): void {
		for (const batch of this.batches.values()) batch.endsAt = Math.min(batch.endsAt, Date.now());
	}

	reset(): void {
		this.batches.clear();
		this.files.clear();
		this.options = { completionDelayMs: 0, expire: false };
		this.counters = { batchesCreated: 0, requestsSubmitted: 0, batchesCancelled: 0 };
	}

	handle(method: string, path: string, contentType: string, raw: Buffer): BatchReply {
		const provider = batchRouteProvider(path)!;
		const parts = path.split('/').filter((part) => part !== '');
		try {
			if (provider === 'anthropic') return this.anthropic(method, parts.slice(3), raw);
			if (parts[1] === 'files') return this.openAiFiles(method, parts.slice(2), contentType, raw);
			return this.openAiBatches(method, parts.slice(2), raw);
		} catch (error) {
			const problem = error as { status?: number; message: string };
			return errorReply(provider, problem.status ?? 400, problem.message);
		}
	}

	// ----- OpenAI ------------------------------------------------------------------------------------------

	private openAiFiles(method: string, rest: string[], contentType: string, raw: Buffer): BatchReply {
		if (method === 'POST' && rest.length === 0) {
			const form = parseMultipart(contentType, raw.toString('utf8'));
			if (form.purpose !== 'batch') throw badRequest(`purpose: expected "batch", got ${JSON.stringify(form.purpose)}`);
			if (form.file === undefined) throw badRequest('file: a file part is required');
			const id = this.fileId();
			this.files.set(id, { purpose: form.purpose, content: form.file });
			return json(200, { id, object: 'file', bytes: Buffer.byteLength(form.file), created_at: seconds(Date.now()), filename: 'batch.jsonl', purpose: 'batch' });
		}
		if (method === 'GET' && rest.length === 2 && rest[1] === 'content') {
			const file = this.files.get(rest[0]);
			if (!file) throw notFound(`No such File object: ${rest[0]}`);
			return { status: 200, contentType: 'application/jsonl', payload: file.content };
		}
		throw notFound(`Invalid URL (${method} /v1/files/${rest.join('/')})`);
	}

	private openAiBatches(method: string, rest: string[], raw: Buffer): BatchReply {
		if (method === 'POST' && rest.length === 0) return json(200, this.openAiObject(this.createOpenAi(parseJson(raw))));
		const batch = this.batches.get(rest[0] ?? '');
		if (!batch || batch.provider !== 'openai') throw notFound(`No batch found with id '${rest[0]}'`);
		if (method === 'GET' && rest.length === 1) return json(200, this.openAiObject(batch));
		if (method === 'POST' && rest.length === 2 && rest[1] === 'cancel') return json(200, this.openAiObject(this.cancel(batch)));
		throw notFound(`Invalid URL (${method} /v1/batches/${rest.join('/')})`);
	}

	private createOpenAi(body: any): StubBatch {
		if (body?.endpoint !== OPENAI_CHAT_PATH) throw badRequest(`endpoint: only ${OPENAI_CHAT_PATH} is supported`);
		if (body?.completion_window !== '24h') throw badRequest('completion_window: must be "24h"');
		const file = this.files.get(String(body?.input_file_id));
		if (!file) throw notFound(`No such File object: ${body?.input_file_id}`);
		const lines = file.content.split('\n').filter((line) => line.trim() !== '');
		const requests = lines.map((line, index) => {
			let parsed: any;
			try {
				parsed = JSON.parse(line);
			} catch {
				throw badRequest(`line ${index + 1} of the input file is not JSON`);
			}
			if (parsed?.method !== 'POST' || parsed?.url !== OPENAI_CHAT_PATH) throw badRequest(`line ${index + 1}: method must be POST and url ${OPENAI_CHAT_PATH}`);
			return { customId: String(parsed.custom_id ?? ''), body: parsed.body };
		});
		const batch = this.create('openai', requests);
		batch.inputFileId = String(body.input_file_id);
		return batch;
	}

	private openAiObject(batch: StubBatch): unknown {
		const state = this.state(batch);
		if (state !== 'in_progress' && batch.outputFileId === undefined) this.writeOpenAiFiles(batch, state);
		const answered = state === 'completed' ? batch.answers : [];
		return {
			id: batch.id,
			object: 'batch',
			endpoint: OPENAI_CHAT_PATH,
			errors: null,
			input_file_id: batch.inputFileId,
			completion_window: '24h',
			status: state,
			output_file_id: state === 'in_progress' ? null : (batch.outputFileId ?? null),
			error_file_id: state === 'in_progress' ? null : (batch.errorFileId ?? null),
			created_at: seconds(batch.createdAt),
			expires_at: seconds(batch.createdAt + 24 * 3_600_000),
			request_counts: {
				total: batch.answers.length,
				completed: answered.filter((answer) => answer.status === 200).length,
				failed: state === 'completed' ? answered.filter((answer) => answer.status !== 200).length : state === 'in_progress' ? 0 : batch.answers.length,
			},
			metadata: null,
		};
	}

	/** Output file: the answered requests; error file: failed ones, or every request of an expired or cancelled batch. */
	private writeOpenAiFiles(batch: StubBatch, state: string): void {
		const output: string[] = [];
		const errors: string[] = [];
		for (const [index, answer] of batch.answers.entries()) {
			const id = `batch_req_${batch.id}_${index}`;
			if (state === 'expired' || state === 'cancelled') {
				const code = state === 'expired' ? 'batch_expired' : 'batch_cancelled';
				const message = state === 'expired' ? 'This request could not be executed before the completion window expired.' : 'This request was cancelled.';
				errors.push(JSON.stringify({ id, custom_id: answer.customId, response: null, error: { code, message } }));
			} else {
				const line = JSON.stringify({ id, custom_id: answer.customId, response: { status_code: answer.status, request_id: id, body: answer.body }, error: null });
				(answer.status === 200 ? output : errors).push(line);
			}
		}
		batch.outputFileId = this.storeFile(output);
		batch.errorFileId = this.storeFile(errors);
	}

	private storeFile(lines: string[]): string | undefined {
		if (lines.length === 0) return undefined;
		const id = this.fileId();
		this.files.set(id, { purpose: 'batch_output', content: `${lines.join('\n')}\n` });
		return id;
	}

	// ----- Anthropic ---------------------------------------------------------------------------------------

	private anthropic(method: string, rest: string[], raw: Buffer): BatchReply {
		if (method === 'POST' && rest.length === 0) {
			const body = parseJson(raw);
			if (!Array.isArray(body?.requests) || body.requests.length === 0) throw badRequest('requests: at least one request is required');
			const requests = body.requests.map((request: any) => ({ customId: String(request?.custom_id ?? ''), body: request?.params }));
			return json(200, this.anthropicObject(this.create('anthropic', requests)));
		}
		const batch = this.batches.get(rest[0] ?? '');
		if (!batch || batch.provider !== 'anthropic') throw notFound(`No message batch found with id '${rest[0]}'`);
		if (method === 'GET' && rest.length === 1) return json(200, this.anthropicObject(batch));
		if (method === 'POST' && rest.length === 2 && rest[1] === 'cancel') return json(200, this.anthropicObject(this.cancel(batch)));
		if (method === 'GET' && rest.length === 2 && rest[1] === 'results') {
			const state = this.state(batch);
			if (state === 'in_progress') throw badRequest(`Message batch ${batch.id} has not ended yet`);
			const lines = batch.answers.map((answer) => JSON.stringify({ custom_id: answer.customId, result: anthropicResult(state, answer) }));
			return { status: 200, contentType: 'application/x-jsonl', payload: `${lines.join('\n')}\n` };
		}
		throw notFound(`Invalid URL (${method} /v1/messages/batches/${rest.join('/')})`);
	}

	private anthropicObject(batch: StubBatch): unknown {
		const state = this.state(batch);
		const ended = state !== 'in_progress';
		const count = (wanted: (answer: StubBatch['answers'][number]) => boolean) => (state === 'completed' ? batch.answers.filter(wanted).length : 0);
		return {
			id: batch.id,
			type: 'message_batch',
			processing_status: ended ? 'ended' : 'in_progress',
			request_counts: {
				processing: ended ? 0 : batch.answers.length,
				succeeded: count((answer) => answer.status === 200),
				errored: count((answer) => answer.status !== 200),
				canceled: state === 'cancelled' ? batch.answers.length : 0,
				expired: state === 'expired' ? batch.answers.length : 0,
			},
			created_at: new Date(batch.createdAt).toISOString(),
			ended_at: ended ? new Date(Math.min(Date.now(), Math.max(batch.endsAt, batch.createdAt))).toISOString() : null,
			expires_at: new Date(batch.createdAt + 24 * 3_600_000).toISOString(),
			cancel_initiated_at: batch.cancelled ? new Date().toISOString() : null,
			archived_at: null,
			// Deliberately on another host: a client must read results from its own base URL, never send its key here.
			results_url: ended ? `https://results.invalid/v1/messages/batches/${batch.id}/results` : null,
		};
	}

	// ----- Shared ------------------------------------------------------------------------------------------

	private create(provider: Provider, requests: Array<{ customId: string; body: unknown }>): StubBatch {
		const seen = new Set<string>();
		for (const { customId } of requests) {
			if (provider === 'anthropic' && !CUSTOM_ID.test(customId)) throw badRequest(`custom_id: ${JSON.stringify(customId)} must be 1-64 letters, digits, - or _`);
			if (customId === '') throw badRequest('custom_id: required on every request');
			if (seen.has(customId)) throw badRequest(`custom_id: ${customId} appears twice; custom ids must be unique within a batch`);
			seen.add(customId);
		}
		const createdAt = Date.now();
		const batch: StubBatch = {
			id: provider === 'anthropic' ? `msgbatch_stub_${++this.sequence}` : `batch_stub_${++this.sequence}`,
			provider,
			createdAt,
			endsAt: createdAt + this.options.completionDelayMs,
			expire: this.options.expire,
			cancelled: false,
			answers: requests.map(({ customId, body }) => ({ customId, ...this.answerOne(provider, body) })),
		};
		this.batches.set(batch.id, batch);
		this.counters.batchesCreated++;
		this.counters.requestsSubmitted += requests.length;
		return batch;
	}

	private cancel(batch: StubBatch): StubBatch {
		if (this.state(batch) === 'in_progress') {
			batch.cancelled = true;
			this.counters.batchesCancelled++;
		}
		return batch;
	}

	private state(batch: StubBatch): 'in_progress' | 'completed' | 'expired' | 'cancelled' {
		if (batch.cancelled) return 'cancelled';
		if (Date.now() < batch.endsAt) return 'in_progress';
		return batch.expire ? 'expired' : 'completed';
	}

	private fileId(): string {
		return `file-stub-${++this.sequence}`;
	}
}

function anthropicResult(state: string, answer: { status: number; body: any }): unknown {
	if (state === 'expired') return { type: 'expired' };
	if (state === 'cancelled') return { type: 'canceled' };
	if (answer.status === 200) return { type: 'succeeded', message: answer.body };
	return { type: 'errored', error: answer.body };
}

/** The fields of a multipart/form-data body, text only (the JSONL file is text). */
function parseMultipart(contentType: string, text: string): Record<string, string> {
	const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	if (!boundary) throw badRequest('the upload must be multipart/form-data with a boundary');
	const fields: Record<string, string> = {};
	for (const part of text.split(`--${boundary[1] ?? boundary[2]}`)) {
		const split = part.indexOf('\r\n\r\n');
		if (split < 0) continue;
		const name = /name="([^"]*)"/.exec(part.slice(0, split));
		if (name) fields[name[1]] = part.slice(split + 4).replace(/\r\n$/, '');
	}
	return fields;
}

function parseJson(raw: Buffer): any {
	try {
		return JSON.parse(raw.toString('utf8'));
	} catch {
		throw badRequest('could not parse the JSON body of the request');
	}
}

function seconds(ms: number): number {
	return Math.floor(ms / 1000);
}

function json(status: number, body: unknown): BatchReply {
	return { status, contentType: 'application/json', payload: JSON.stringify(body) };
}

function badRequest(message: string): Error & { status: number } {
	return Object.assign(new Error(message), { status: 400 });
}

function notFound(message: string): Error & { status: number } {
	return Object.assign(new Error(message), { status: 404 });
}

function errorReply(provider: Provider, status: number, message: string): BatchReply {
	const body =
		provider === 'anthropic'
			? { type: 'error', error: { type: status === 404 ? 'not_found_error' : 'invalid_request_error', message } }
			: { error: { message, type: 'invalid_request_error', param: null, code: status === 404 ? 'not_found' : null } };
	return json(status, body);
}
