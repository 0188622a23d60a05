import type { ErrorClass } from '../metrics';
import { sha256Hex } from '../shared/canonicalJson';
import type { ProviderKind } from './types';

/** The Anthropic API version every request names. */
export const ANTHROPIC_VERSION = '2023-06-01';

/** Where a provider is reached when the credential leaves the base URL empty. */
export const DEFAULT_BASE_URLS: Readonly<Record<ProviderKind, string>> = {
	openAiCompatible: 'https://api.openai.com/v1',
	anthropic: 'https://api.anthropic.com',
};

/**
 * The fields of the Optimized AI API credential, as n8n hands them over (untyped). Labels in errors are the
 * credential's display labels.
 */
export interface ProviderCredentialData {
	provider?: unknown;
	baseUrl?: unknown;
	apiKey?: unknown;
	organization?: unknown;
	headerName?: unknown;
	headerValue?: unknown;
}

/**
 * A credential resolved once into what every request needs. `provider`, `baseUrl` and `fingerprint` are free of
 * secrets and may go into cache keys, rate-limit keys and output. `authHeaders` and `secrets` are not enumerable,
 * so logging or serialising an endpoint never shows them; pass the endpoint itself on, never a spread copy.
 */
export interface ProviderEndpoint {
	readonly provider: ProviderKind;
	/** Without trailing slashes: request paths are appended as `${baseUrl}/path`. */
	readonly baseUrl: string;
	/** A one-way hash of provider, base URL, key, organization and extra header: two accounts never share it. */
	readonly fingerprint: string;
	/** The headers that authenticate a request to this provider. Secret. */
	readonly authHeaders: Readonly<Record<string, string>>;
	/** The secret values among the headers, removed from any provider message before it goes anywhere. */
	readonly secrets: readonly string[];
}

/** What a request asks a provider for: a chat completion, the list of its models, a batch of completions or a file. */
export type ProviderRoute = 'chat' | 'models' | 'batches' | 'files';

// Both appended to the base URL: an OpenAI-compatible base URL already ends in its version (…/v1), Anthropic's does not.
// Batches: OpenAI's Batch API (its input and output are files), Anthropic's Message Batches (no files needed).
const ROUTE_PATHS: Readonly<Record<ProviderKind, Readonly<Record<ProviderRoute, string>>>> = {
	openAiCompatible: { chat: '/chat/completions', models: '/models', batches: '/batches', files: '/files' },
	anthropic: { chat: '/v1/messages', models: '/v1/models', batches: '/v1/messages/batches', files: '/v1/files' },
};

/** The one place a request URL is built from an endpoint. */
export function endpointUrl(endpoint: ProviderEndpoint, route: ProviderRoute): string {
	return `${endpoint.baseUrl}${ROUTE_PATHS[endpoint.provider][route]}`;
}

/** A credential that cannot be used as it is; names the field by its label. */
export class CredentialError extends Error {
	override name = 'CredentialError';
	readonly errorClass: ErrorClass = 'validation';
}

const PROVIDER_LABELS: Record<ProviderKind, string> = { anthropic: 'Anthropic', openAiCompatible: 'OpenAI-Compatible' };
// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function fail(label: string, problem: string): never {
	throw new CredentialError(`The Optimized AI API credential's '${label}' ${problem}`);
}

function optionalText(value: unknown, label: string): string {
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string') fail(label, `must be text, got ${typeof value}`);
	return value.trim();
}

function providerOf(value: unknown): ProviderKind {
	// An empty provider is the credential's default.
	if (value === undefined || value === null || value === '') return 'openAiCompatible';
	if (value === 'anthropic' || value === 'openAiCompatible') return value;
	const known = Object.values(PROVIDER_LABELS).join(' or ');
	return fail('Provider', `must be ${known}, got ${typeof value === 'string' ? JSON.stringify(value) : typeof value}`);
}

/** The one place a base URL is normalised: the provider's default when empty, no trailing slash. */
function baseUrlOf(value: unknown, provider: ProviderKind): string {
	const text = optionalText(value, 'Base URL').replace(/\/+$/, '');
	if (text === '') return DEFAULT_BASE_URLS[provider];
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		// The value itself is not quoted: a URL may carry a user and password.
		return fail('Base URL', 'is not a URL; give the API root, e.g. https://api.openai.com/v1');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('Base URL', `must start with http:// or https://, got ${url.protocol}//`);
	return text;
}

/**
 * Resolves a credential to its endpoint: provider, normalised base URL, auth headers and a secret-free
 * fingerprint. Pure; throws a {@link CredentialError} naming the field for a credential that cannot work.
 */
export function resolveEndpoint(credential: ProviderCredentialData): ProviderEndpoint {
	const provider = providerOf(credential.provider);
	const baseUrl = baseUrlOf(credential.baseUrl, provider);
	const apiKey = typeof credential.apiKey === 'string' ? credential.apiKey : optionalText(credential.apiKey, 'API Key');
	const organization = optionalText(credential.organization, 'Organization ID');
	const headerName = optionalText(credential.headerName, 'Extra Header Name');
	if (headerName !== '' && !HEADER_NAME.test(headerName)) fail('Extra Header Name', 'is not a valid HTTP header name');
	const headerValue = headerName === '' ? '' : String(credential.headerValue ?? '');

	const authHeaders: Record<string, string> =
		provider === 'anthropic' ? { 'x-api-key': apiKey, 'anthropic-version': ANTHROPIC_VERSION } : { authorization: `Bearer ${apiKey}` };
	if (provider === 'openAiCompatible' && organization !== '') authHeaders['openai-organization'] = organization;
	if (headerName !== '') authHeaders[headerName] = headerValue;

	const endpoint = {
		provider,
		baseUrl,
		fingerprint: endpointFingerprint(provider, baseUrl, apiKey, organization, headerName === '' ? undefined : { name: headerName, value: headerValue }),
	};
	Object.defineProperties(endpoint, {
		authHeaders: { value: Object.freeze(authHeaders), enumerable: false },
		secrets: { value: Object.freeze([apiKey, headerValue].filter((secret) => secret !== '')), enumerable: false },
	});
	return Object.freeze(endpoint) as ProviderEndpoint;
}

/**
 * The hash keeps the layout fingerprints had before endpoints were resolved in one place, so cache entries
 * already stored (snapshots, Redis) keep their keys.
 */
function endpointFingerprint(
	provider: ProviderKind,
	baseUrl: string,
	apiKey: string,
	organization: string,
	extraHeader: { name: string; value: string } | undefined,
): string {
	const header = extraHeader ? `${extraHeader.name.toLowerCase()}=${extraHeader.value}` : '';
	return sha256Hex(`perf-optimizer-credential|${provider}|${baseUrl}|${apiKey}|${organization}|${header}`).slice(0, 32);
}
