import type { ErrorClass } from '../../metrics';
import { errorClassForHttp } from '../../resilience';
import { redactSecrets } from '../../shared/redact';

/** One GET on n8n's public API; injectable so the engine is tested against a local stand-in, never the network. */
export type ApiFetch = (url: string, init: { method: 'GET'; headers: Record<string, string>; signal?: AbortSignal }) => Promise<{
	status: number;
	headers: { get(name: string): string | null };
	text(): Promise<string>;
}>;

/** Where n8n's public API is and the key that opens it (the built-in n8n API credential). */
export interface ApiEndpoint {
	/** The API's base, e.g. `http://localhost:5678/api/v1`, as the n8n API credential has it. */
	apiBaseUrl: string;
	apiKey: string;
}

/** One saved execution as `GET /api/v1/executions?includeData=true` lists it; only the parts the analysis reads. */
export interface ApiExecution {
	id: string;
	workflowId: string;
	status: string;
	mode?: string;
	startedAt: string | null;
	stoppedAt: string | null;
	/** The run data (IRunExecutionData); absent for executions too large to display (`dataTooLargeToDisplay`). */
	data?: { resultData?: { runData?: Record<string, unknown>; error?: unknown } } | null;
	workflowData?: { name?: string; nodes?: Array<{ name?: unknown; type?: unknown }> } | null;
	dataTooLargeToDisplay?: boolean;
}

export interface ExecutionsPage {
	executions: ApiExecution[];
	/** Opaque; null on the last page. */
	nextCursor: string | null;
}

/** A refused or failed call to n8n's API, with what the node error and the metrics need and no secret in it. */
export class ExecutionsApiError extends Error {
	override name = 'ExecutionsApiError';
	readonly status?: number;
	readonly errorClass: ErrorClass;
	readonly description: string;

	constructor(message: string, details: { status?: number; errorClass: ErrorClass; description: string }) {
		super(message);
		this.status = details.status;
		this.errorClass = details.errorClass;
		this.description = details.description;
	}
}

/** The n8n instance's own address (for editor links): the API base without its `/api/v1`. */
export function instanceBaseUrl(apiBaseUrl: string): string {
	return apiBaseUrl.replace(/\/+$/, '').replace(/\/api\/v\d+$/, '');
}

/**
 * Checks the credential's base URL once: an `http(s)` URL, trailing slashes dropped, `/api/v1` added when the
 * user gave the instance's address. Throws a `TypeError` naming the field by its label.
 */
export function normalizeApiBaseUrl(raw: unknown): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new TypeError(`'Base URL' of the n8n API credential is not a URL: "${text.slice(0, 80)}"`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`'Base URL' of the n8n API credential must start with http:// or https://`);
	const base = text.replace(/\/+$/, '');
	return /\/api\/v\d+$/.test(base) ? base : `${base}/api/v1`;
}

const ADVICE: Record<number, string> = {
	401: "n8n refused the API key: check the n8n API credential's API Key (Settings > n8n API in n8n) and that it has not expired.",
	403: 'The API key may not read executions: give it the execution:list scope (Settings > n8n API).',
	404: "n8n has no such API here: check the credential's Base URL (it ends in /api/v1) and that the public API is not disabled (N8N_PUBLIC_API_DISABLED).",
	429: 'n8n is limiting requests to its API: run the analysis less often or with a smaller Max Executions per Run.',
};

/**
 * A page cut at the first execution that started before `startedAfterMs`. n8n lists executions newest first, so
 * everything after it is older too: the page then has no next one.
 */
function startedAfterOnly(page: ExecutionsPage, startedAfterMs: number): ExecutionsPage {
	const older = page.executions.findIndex((execution) => execution.startedAt !== null && Date.parse(execution.startedAt) < startedAfterMs);
	return older < 0 ? page : { executions: page.executions.slice(0, older), nextCursor: null };
}

/** Reads n8n's public API: executions page by page, and the workflows' ids. */
export class ExecutionsApi {
	/** Set once n8n refused the `startedAfter` filter (n8n 1.x): pages are then cut here. */
	private startedAfterUnsupported = false;

	constructor(
		private readonly endpoint: ApiEndpoint,
		private readonly fetch: ApiFetch,
		private readonly signal?: AbortSignal,
	) {}

	async executionsPage(query: { workflowId: string; limit: number; cursor?: string; startedAfter?: string }): Promise<ExecutionsPage> {
		const params = new URLSearchParams({ includeData: 'true', workflowId: query.workflowId, limit: String(query.limit) });
		if (query.cursor) params.set('cursor', query.cursor);
		// n8n applies the filter to every page, the cursor's too.
		const filtered = query.startedAfter !== undefined && !this.startedAfterUnsupported;
		if (filtered) params.set('startedAfter', query.startedAfter!);
		let body: unknown;
		try {
			body = await this.getJson(`/executions?${params}`);
		} catch (error) {
			// n8n before 2.0 has no `startedAfter` and refuses it: filter here instead, from then on.
			if (!filtered || !(error instanceof ExecutionsApiError) || error.status !== 400 || !error.message.includes('startedAfter')) throw error;
			this.startedAfterUnsupported = true;
			return await this.executionsPage(query);
		}
		const data = (body as { data?: unknown }).data;
		if (!Array.isArray(data)) throw this.malformed('/executions', 'has no data list');
		const next = (body as { nextCursor?: unknown }).nextCursor;
		const page: ExecutionsPage = { executions: data as ApiExecution[], nextCursor: typeof next === 'string' && next !== '' ? next : null };
		return query.startedAfter !== undefined && !filtered ? startedAfterOnly(page, Date.parse(query.startedAfter)) : page;
	}

	/** Every workflow's id and name the key may read, page by page. */
	async workflows(): Promise<Array<{ id: string; name: string }>> {
		const workflows: Array<{ id: string; name: string }> = [];
		let cursor: string | undefined;
		do {
			const params = new URLSearchParams({ limit: '250' });
			if (cursor) params.set('cursor', cursor);
			const body = await this.getJson(`/workflows?${params}`);
			const data = (body as { data?: unknown }).data;
			if (!Array.isArray(data)) throw this.malformed('/workflows', 'has no data list');
			for (const workflow of data as Array<{ id?: unknown; name?: unknown }>) {
				if (typeof workflow.id === 'string') workflows.push({ id: workflow.id, name: typeof workflow.name === 'string' ? workflow.name : workflow.id });
			}
			const next = (body as { nextCursor?: unknown }).nextCursor;
			cursor = typeof next === 'string' && next !== '' ? next : undefined;
		} while (cursor !== undefined);
		return workflows;
	}

	private async getJson(path: string): Promise<unknown> {
		const url = this.endpoint.apiBaseUrl + path;
		const where = `GET ${this.endpoint.apiBaseUrl}${path.split('?')[0]}`;
		let response: Awaited<ReturnType<ApiFetch>>;
		try {
			response = await this.fetch(url, { method: 'GET', headers: { accept: 'application/json', 'X-N8N-API-KEY': this.endpoint.apiKey }, signal: this.signal });
		} catch (error) {
			const cancelled = this.signal?.aborted === true;
			const cause = redactSecrets((error as Error)?.message ?? String(error), [this.endpoint.apiKey]);
			throw new ExecutionsApiError(cancelled ? `${where} was cancelled` : `n8n could not be reached (${where}): ${cause}`, {
				errorClass: cancelled ? 'cancelled' : 'network',
				description: "Check that n8n is running and that the n8n API credential's Base URL points at it.",
			});
		}
		const text = await response.text();
		if (response.status < 200 || response.status >= 300) {
			let message = text.slice(0, 200);
			try {
				const parsed = JSON.parse(text) as { message?: unknown };
				if (typeof parsed.message === 'string') message = parsed.message;
			} catch {
				// Not JSON (a proxy's page): the start of the text says enough.
			}
			message = redactSecrets(message, [this.endpoint.apiKey]);
			throw new ExecutionsApiError(`n8n's API answered HTTP ${response.status} to ${where}: ${message}`, {
				status: response.status,
				errorClass: errorClassForHttp({ status: response.status }),
				description: ADVICE[response.status] ?? (response.status >= 500 ? 'n8n failed to answer; check its logs and try again.' : 'Check the n8n API credential.'),
			});
		}
		try {
			return JSON.parse(text) as unknown;
		} catch {
			throw this.malformed(path.split('?')[0], 'is not JSON');
		}
	}

	private malformed(path: string, problem: string): ExecutionsApiError {
		return new ExecutionsApiError(`The answer of n8n's API to GET ${path} ${problem}`, {
			errorClass: 'server',
			description: "Check that the n8n API credential's Base URL points at n8n's public API (it ends in /api/v1).",
		});
	}
}
