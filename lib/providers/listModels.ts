import { isPlainObject } from '../shared/json';
import { endpointUrl, type ProviderEndpoint } from './endpoint';
import { ProviderError } from './providerError';
import { getProviderJson, type FetchLike } from './transport';

/** One model a provider offers. */
export interface ProviderModel {
	/** What a request names as its model. */
	id: string;
	/** A readable name, when the provider gives one (Anthropic's `display_name`). */
	name?: string;
	/** ISO 8601, when the provider says when the model was released. */
	createdAt?: string;
}

export interface ListModelsOptions {
	/** Per request (each page of Anthropic's list) in ms; 0 = none. */
	timeoutMs: number;
	signal?: AbortSignal;
	fetch?: FetchLike;
}

/** The most models a listing returns: a picker with more is no use, and a runaway gateway must not fill memory. */
export const MAX_LISTED_MODELS = 5_000;
/** Anthropic's largest page. */
const ANTHROPIC_PAGE_SIZE = 1_000;
/** Pages of Anthropic's list read at most, so a provider that always says `has_more` cannot keep the caller forever. */
const MAX_PAGES = 10;

/**
 * The models the endpoint's account can use, sorted by id, at most {@link MAX_LISTED_MODELS}: GET on the
 * provider's models route with the endpoint's auth headers (Anthropic's list read page by page). Failures are
 * {@link ProviderError}s without secrets, as for a chat call.
 */
export async function listModels(endpoint: ProviderEndpoint, options: ListModelsOptions): Promise<ProviderModel[]> {
	const models = new Map<string, ProviderModel>();
	const add = (model: ProviderModel) => {
		if (models.size < MAX_LISTED_MODELS && !models.has(model.id)) models.set(model.id, model);
	};
	const url = endpointUrl(endpoint, 'models');
	if (endpoint.provider === 'openAiCompatible') {
		for (const entry of dataOf(await getProviderJson(url, endpoint, options))) {
			const model = openAiModel(entry);
			if (model) add(model);
		}
	} else {
		let afterId: string | undefined;
		for (let page = 0; page < MAX_PAGES && models.size < MAX_LISTED_MODELS; page++) {
			const query = `?limit=${ANTHROPIC_PAGE_SIZE}${afterId === undefined ? '' : `&after_id=${encodeURIComponent(afterId)}`}`;
			const body = await getProviderJson(`${url}${query}`, endpoint, options);
			for (const entry of dataOf(body)) {
				const model = anthropicModel(entry);
				if (model) add(model);
			}
			const next = isPlainObject(body) && body.has_more === true && typeof body.last_id === 'string' ? body.last_id : undefined;
			// A provider that pages back to the same place would otherwise be read MAX_PAGES times.
			if (next === undefined || next === afterId) break;
			afterId = next;
		}
	}
	return [...models.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function dataOf(body: unknown): unknown[] {
	if (isPlainObject(body) && Array.isArray(body.data)) return body.data;
	throw new ProviderError({ code: 'malformed_response', providerMessage: 'the model list has no "data" array' });
}

/** `{id, object: 'model', created (Unix seconds), owned_by}`; entries without a text id are skipped. */
function openAiModel(entry: unknown): ProviderModel | undefined {
	if (!isPlainObject(entry) || typeof entry.id !== 'string' || entry.id === '') return undefined;
	const created = typeof entry.created === 'number' && Number.isFinite(entry.created) ? new Date(entry.created * 1000) : undefined;
	return { id: entry.id, ...(created && !Number.isNaN(created.getTime()) ? { createdAt: created.toISOString() } : {}) };
}

/** `{type: 'model', id, display_name, created_at (RFC 3339)}`; entries without a text id are skipped. */
function anthropicModel(entry: unknown): ProviderModel | undefined {
	if (!isPlainObject(entry) || typeof entry.id !== 'string' || entry.id === '') return undefined;
	return {
		id: entry.id,
		...(typeof entry.display_name === 'string' && entry.display_name !== '' ? { name: entry.display_name } : {}),
		...(typeof entry.created_at === 'string' && entry.created_at !== '' ? { createdAt: entry.created_at } : {}),
	};
}
