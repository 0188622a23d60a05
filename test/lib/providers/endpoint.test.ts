import { inspect } from 'node:util';
import { ANTHROPIC_VERSION, CredentialError, DEFAULT_BASE_URLS, endpointUrl, resolveEndpoint, type ProviderCredentialData } from '../../../lib/providers';

const API_KEY = 'sk-test-5e6f7a8b9c0d1e2f';
const openAi: ProviderCredentialData = { provider: 'openAiCompatible', baseUrl: 'https://llm.example.test/v1', apiKey: API_KEY };
const anthropic: ProviderCredentialData = { provider: 'anthropic', baseUrl: 'https://api.anthropic.example.test', apiKey: API_KEY };

function credentialErrorOf(credential: ProviderCredentialData): CredentialError {
	try {
		resolveEndpoint(credential);
	} catch (error) {
		expect(error).toBeInstanceOf(CredentialError);
		return error as CredentialError;
	}
	throw new Error('expected the credential to be refused');
}

describe('resolveEndpoint', () => {
	describe('base URL', () => {
		it.each([
			['openAiCompatible', 'https://api.openai.com/v1'],
			['anthropic', 'https://api.anthropic.com'],
		] as const)('defaults to the provider root for %s when empty or missing', (provider, root) => {
			expect(resolveEndpoint({ provider, baseUrl: '', apiKey: API_KEY }).baseUrl).toBe(root);
			expect(resolveEndpoint({ provider, apiKey: API_KEY }).baseUrl).toBe(root);
			expect(DEFAULT_BASE_URLS[provider]).toBe(root);
		});

		it.each(['https://llm.example.test/v1', 'https://llm.example.test/v1/', 'https://llm.example.test/v1///', '  https://llm.example.test/v1/ '])(
			'has no trailing slash, however it was typed (%j)',
			(baseUrl) => {
				expect(resolveEndpoint({ ...openAi, baseUrl }).baseUrl).toBe('https://llm.example.test/v1');
			},
		);

		it('keeps a local server root as typed, port and path included', () => {
			expect(resolveEndpoint({ ...openAi, baseUrl: 'http://localhost:11434/v1/' }).baseUrl).toBe('http://localhost:11434/v1');
		});
	});

	describe('provider', () => {
		it('is the credential default, OpenAI-compatible, when the field is empty', () => {
			expect(resolveEndpoint({ apiKey: API_KEY }).provider).toBe('openAiCompatible');
		});

		it('authorises OpenAI-compatible calls with a bearer token, the organization and the extra header', () => {
			const endpoint = resolveEndpoint({ ...openAi, organization: 'org-1', headerName: 'X-Tenant', headerValue: 'acme' });
			expect(endpoint.provider).toBe('openAiCompatible');
			expect(endpoint.authHeaders).toEqual({ authorization: `Bearer ${API_KEY}`, 'openai-organization': 'org-1', 'X-Tenant': 'acme' });
		});

		it('authorises Anthropic calls with x-api-key and the API version, without the organization', () => {
			const endpoint = resolveEndpoint({ ...anthropic, organization: 'org-ignored', headerName: 'anthropic-beta', headerValue: 'b1' });
			expect(endpoint.provider).toBe('anthropic');
			expect(endpoint.authHeaders).toEqual({ 'x-api-key': API_KEY, 'anthropic-version': ANTHROPIC_VERSION, 'anthropic-beta': 'b1' });
		});

		it('sends no extra header when its name is empty', () => {
			expect(Object.keys(resolveEndpoint({ ...openAi, headerName: '', headerValue: 'x' }).authHeaders)).toEqual(['authorization']);
		});
	});

	describe('a credential that cannot work', () => {
		it.each<[string, ProviderCredentialData, string]>([
			['an unknown provider', { ...openAi, provider: 'cohere' }, `'Provider' must be Anthropic or OpenAI-Compatible, got "cohere"`],
			['a base URL that is not a URL', { ...openAi, baseUrl: 'llm.example.test/v1' }, `'Base URL' is not a URL`],
			['a base URL of another scheme', { ...openAi, baseUrl: 'ftp://llm.example.test/v1' }, `'Base URL' must start with http:// or https://, got ftp://`],
			['a base URL that is not text', { ...openAi, baseUrl: 42 }, `'Base URL' must be text, got number`],
			['an API key that is not text', { ...openAi, apiKey: 12345 }, `'API Key' must be text, got number`],
			['an extra header name with a space', { ...openAi, headerName: 'X Tenant', headerValue: 'a' }, `'Extra Header Name' is not a valid HTTP header name`],
		])('is refused for %s, naming the field by its label', (_case, credential, message) => {
			const error = credentialErrorOf(credential);
			expect(error.message).toContain("The Optimized AI API credential's ");
			expect(error.message).toContain(message);
			expect(error.errorClass).toBe('validation');
		});

		it('does not quote a bad base URL, which may carry a password', () => {
			const error = credentialErrorOf({ ...openAi, baseUrl: 'https//user:hunter2-secret@gateway' });
			expect(error.message).not.toContain('hunter2-secret');
		});
	});

	describe('fingerprint', () => {
		const credential = { ...openAi, organization: 'org-1' };
		const print = resolveEndpoint(credential).fingerprint;

		it('is a 32-character hex hash that contains no part of the key', () => {
			expect(print).toMatch(/^[0-9a-f]{32}$/);
			expect(print).not.toContain(API_KEY);
			expect(print).not.toContain(API_KEY.slice(0, 8));
		});

		it('keeps the value fingerprints had before endpoints were resolved, so stored cache entries keep their keys', () => {
			// sha256("perf-optimizer-credential|provider|base URL|key|organization|lower-case header=value"), first 32 hex digits.
			const endpoint = resolveEndpoint({ ...credential, baseUrl: 'https://llm.example.test/v1/', headerName: 'X-Tenant', headerValue: 'acme' });
			expect(endpoint.fingerprint).toBe('84a4d2387d21d845d836d27f8be633ae');
		});

		it('is stable for the same credential, whatever the trailing slash', () => {
			expect(resolveEndpoint({ ...credential }).fingerprint).toBe(print);
			expect(resolveEndpoint({ ...credential, baseUrl: 'https://llm.example.test/v1/' }).fingerprint).toBe(print);
		});

		it.each<[string, ProviderCredentialData]>([
			['another API key', { apiKey: 'sk-test-another-account-key' }],
			['another organization', { organization: 'org-2' }],
			['no organization', { organization: undefined }],
			['another base URL', { baseUrl: 'https://gateway.example.test/v1' }],
			['another provider', { provider: 'anthropic' }],
			['an extra header', { headerName: 'X-Tenant', headerValue: 'a' }],
		])('differs for %s', (_label, change) => {
			expect(resolveEndpoint({ ...credential, ...change }).fingerprint).not.toBe(print);
		});

		it('tells apart credentials that differ only in their extra header value', () => {
			const tenantA = resolveEndpoint({ ...openAi, headerName: 'X-Tenant', headerValue: 'a' });
			const tenantB = resolveEndpoint({ ...openAi, headerName: 'X-Tenant', headerValue: 'b' });
			expect(tenantA.fingerprint).not.toBe(tenantB.fingerprint);
		});
	});

	it('shows no secret when the endpoint is serialised or logged', () => {
		const headerValue = 'tenant-secret-123456';
		const endpoint = resolveEndpoint({ ...openAi, headerName: 'X-Tenant', headerValue });
		expect(endpoint.secrets).toEqual([API_KEY, headerValue]);
		for (const text of [JSON.stringify(endpoint), inspect(endpoint), String(Object.values(endpoint))]) {
			expect(text).toContain(endpoint.fingerprint);
			expect(text).not.toContain(API_KEY);
			expect(text).not.toContain(headerValue);
		}
	});

	it("builds each route's URL on the base URL: OpenAI-compatible after its version, Anthropic with /v1", () => {
		const compatible = resolveEndpoint({ ...openAi, baseUrl: 'http://localhost:11434/v1/' });
		expect(endpointUrl(compatible, 'chat')).toBe('http://localhost:11434/v1/chat/completions');
		expect(endpointUrl(compatible, 'models')).toBe('http://localhost:11434/v1/models');
		const anthropic = resolveEndpoint({ provider: 'anthropic', apiKey: API_KEY });
		expect(endpointUrl(anthropic, 'chat')).toBe('https://api.anthropic.com/v1/messages');
		expect(endpointUrl(anthropic, 'models')).toBe('https://api.anthropic.com/v1/models');
	});
});
