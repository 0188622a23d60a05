import type { IHttpRequestOptions, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { OptimizedAiApi } from '../../credentials/OptimizedAiApi.credentials';
import { HarnessNodeTypes } from '../helpers/nodeTypes';
import { startLlmStub, type LlmStub } from '../helpers/llmStub';

const KEY = 'sk-credential-test-key-42';

/** Resolves the credential's test request the way n8n does: expressions with `$credentials` set. */
function resolveTestRequest(credentials: Record<string, unknown>): { baseURL: string; url: string } {
	const node: INode = { id: 'n', name: 'Test', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new HarnessNodeTypes() });
	const request = new OptimizedAiApi().test.request;
	return workflow.expression.getComplexParameterValue(node, request as never, 'internal', { $credentials: credentials }) as {
		baseURL: string;
		url: string;
	};
}

async function runTest(credentials: Record<string, unknown>): Promise<number> {
	const { baseURL, url } = resolveTestRequest(credentials);
	const authenticate = new OptimizedAiApi().authenticate as (c: unknown, r: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
	const options = await authenticate(credentials, { url: `${baseURL}${url}`, method: 'GET', headers: {} });
	const response = await fetch(options.url, { headers: options.headers as Record<string, string> });
	await response.text();
	return response.status;
}

describe('Optimized AI API credential', () => {
	let stub: LlmStub;
	beforeAll(async () => {
		stub = await startLlmStub({ apiKey: KEY });
	});
	afterAll(async () => stub.close());

	it('passes its test request (list models) against an OpenAI-compatible API', async () => {
		expect(await runTest({ provider: 'openAiCompatible', baseUrl: `${stub.openAiBaseUrl}/`, apiKey: KEY, organization: 'org-1' })).toBe(200);
		const request = stub.requests[stub.requests.length - 1];
		expect(request.path).toBe('/v1/models');
		expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
		expect(request.headers['openai-organization']).toBe('org-1');
	});

	it('passes its test request against Anthropic, with its own auth headers', async () => {
		expect(await runTest({ provider: 'anthropic', baseUrl: stub.anthropicBaseUrl, apiKey: KEY })).toBe(200);
		const request = stub.requests[stub.requests.length - 1];
		expect(request.headers['x-api-key']).toBe(KEY);
		expect(request.headers['anthropic-version']).toBe('2023-06-01');
		expect(request.headers.authorization).toBeUndefined();
	});

	it('fails its test with a wrong key, and sends the extra header when set', async () => {
		expect(await runTest({ provider: 'openAiCompatible', baseUrl: stub.openAiBaseUrl, apiKey: 'wrong' })).toBe(401);
		await runTest({ provider: 'openAiCompatible', baseUrl: stub.openAiBaseUrl, apiKey: KEY, headerName: 'X-Gateway', headerValue: 'g1' });
		expect(stub.requests[stub.requests.length - 1].headers['x-gateway']).toBe('g1');
	});
});
