import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { resolveEndpoint } from '../lib/providers';

/**
 * One credential for every provider the Optimized AI Call node speaks to: OpenAI-compatible APIs (OpenAI, Azure-style
 * gateways, Groq, Mistral, OpenRouter, Ollama, vLLM, LM Studio) and Anthropic.
 */
export class OptimizedAiApi implements ICredentialType {
	name = 'optimizedAiApi';

	displayName = 'Optimized AI API';

	icon = 'file:optimizedAiApi.svg' as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-perf-optimizer';

	properties: INodeProperties[] = [
		{
			displayName: 'Provider',
			name: 'provider',
			type: 'options',
			options: [
				{ name: 'Anthropic', value: 'anthropic' },
				{
					name: 'OpenAI-Compatible',
					value: 'openAiCompatible',
					description: 'OpenAI, Azure-style gateways, Groq, Mistral, OpenRouter, Ollama, vLLM, LM Studio',
				},
			],
			default: 'openAiCompatible',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.openai.com/v1',
			description: 'The API root that /chat/completions and /models are appended to, e.g. http://localhost:11434/v1 for Ollama',
			displayOptions: { show: { provider: ['openAiCompatible'] } },
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.anthropic.com',
			description: 'The API root that /v1/messages and /v1/models are appended to',
			displayOptions: { show: { provider: ['anthropic'] } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Local servers such as Ollama accept any value',
		},
		{
			displayName: 'Organization ID',
			name: 'organization',
			type: 'string',
			default: '',
			description: 'Optional OpenAI organization, sent as the OpenAI-Organization header',
			displayOptions: { show: { provider: ['openAiCompatible'] } },
		},
		{
			displayName: 'Extra Header Name',
			name: 'headerName',
			type: 'string',
			default: '',
			description: 'Optional header for gateways that want one, e.g. api-key or HTTP-Referer',
		},
		{
			displayName: 'Extra Header Value',
			name: 'headerValue',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	];

	// The same headers the nodes send: the credential test and the nodes cannot disagree on how a provider authenticates.
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...(requestOptions.headers as Record<string, string>), ...resolveEndpoint(credentials).authHeaders },
	});

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl.replace(/\\/+$/, "") }}',
			url: '={{ $credentials.provider === "anthropic" ? "/v1/models" : "/models" }}',
			method: 'GET',
		},
	};
}
