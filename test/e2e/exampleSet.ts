import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { publishWorkflow, type N8nInstance } from './n8nInstance';

const EXAMPLES = resolve(__dirname, '..', '..', 'examples');

/** The sub-workflow that the batch examples call; published first so they can point at its id. */
export const SUB_WORKFLOW_FILE = 'batch-process-subworkflow.json';
const SUB_WORKFLOW_PLACEHOLDER = 'REPLACE_WITH_SUB_WORKFLOW_ID';
/** The port the shipped examples assume (n8n's default); replaced with the running instance's. */
const DEFAULT_PORT_PATTERN = /(\/\/(?:localhost|127\.0\.0\.1)):5678\//g;

/** The model the AI examples default to. */
const EXAMPLE_MODEL = 'gpt-4o-mini';

export interface ExampleCredential {
	id: string;
	name: string;
}

/** The header every state-changing example route (template save, configure) requires. */
export const WRITE_KEY_HEADER = 'X-Api-Key';
/** The name of the examples' header-auth credential, as they ship. */
const WRITE_KEY_CREDENTIAL_NAME = 'Perf Optimizer Write Key';

/** The Header Auth credential of the examples' write routes, with the key to send. */
export interface ExampleWriteKey extends ExampleCredential {
	header: string;
	value: string;
}

/** Creates the Header Auth credential the write routes check, with a fresh random key. */
export async function createExampleWriteKey(n8n: N8nInstance): Promise<ExampleWriteKey> {
	const value = randomBytes(24).toString('base64url');
	const credential = await n8n.rest('POST', '/credentials', {
		name: WRITE_KEY_CREDENTIAL_NAME,
		type: 'httpHeaderAuth',
		data: { name: WRITE_KEY_HEADER, value },
	});
	return { id: credential.data.id, name: WRITE_KEY_CREDENTIAL_NAME, header: WRITE_KEY_HEADER, value };
}

/** The name of the examples' n8n API credential (Analyze Executions), as they ship. */
const N8N_API_CREDENTIAL_NAME = 'n8n API';
/** What Analyze Executions reads: executions, and the workflows' list when it reads all of them. */
const N8N_API_SCOPES = ['execution:list', 'workflow:list'];

/**
 * Creates an API key for the owner through n8n's REST API (as Settings > n8n API does) with only the scopes
 * Analyze Executions needs, and n8n's built-in n8n API credential holding it; returns the credential and the key.
 */
export async function createN8nApiCredential(n8n: N8nInstance): Promise<ExampleCredential & { apiKey: string; apiBaseUrl: string }> {
	const offered = (await n8n.rest('GET', '/api-keys/scopes')).data as string[];
	const missing = N8N_API_SCOPES.filter((scope) => !offered.includes(scope));
	if (missing.length > 0) throw new Error(`n8n offers no API key scope ${missing.join(', ')} (offered: ${offered.join(', ')})`);
	const key = await n8n.rest('POST', '/api-keys', { label: `Perf Monitor ${randomBytes(4).toString('hex')}`, scopes: N8N_API_SCOPES, expiresAt: null });
	const apiKey = key.data.rawApiKey as string;
	const apiBaseUrl = `${n8n.baseUrl}/api/v1`;
	const credential = await n8n.rest('POST', '/credentials', { name: N8N_API_CREDENTIAL_NAME, type: 'n8nApi', data: { apiKey, baseUrl: apiBaseUrl } });
	return { id: credential.data.id, name: N8N_API_CREDENTIAL_NAME, apiKey, apiBaseUrl };
}

export interface PublishedExample {
	file: string;
	id: string;
	name: string;
	/** Production webhook paths the example listens on, with their HTTP methods. */
	webhooks: Array<{ method: string; path: string }>;
}

export function exampleFiles(): string[] {
	return readdirSync(EXAMPLES)
		.filter((file) => file.endsWith('.json') && Array.isArray(readExample(file).nodes))
		.sort();
}

export function readExample(file: string): any {
	return JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'));
}

/**
 * Points an example at this n8n: the AI credential, the published sub-workflow's id and the instance's port in
 * webhook URLs. Exactly what a user changes by hand after importing.
 */
export interface AdaptContext {
	credential: ExampleCredential;
	subWorkflowId?: string;
	port: number;
	/** The model AI examples use when a request names none. @default the examples' own (gpt-4o-mini) */
	defaultModel?: string;
	/** The Header Auth credential of the write routes (template save, configure). */
	writeKey?: ExampleCredential;
	/** n8n's own n8n API credential, for Analyze Executions (from {@link createN8nApiCredential}). */
	n8nApi?: ExampleCredential;
}

export function adaptExample(workflow: any, context: AdaptContext): any {
	const text = JSON.stringify(workflow)
		.replaceAll(SUB_WORKFLOW_PLACEHOLDER, context.subWorkflowId ?? SUB_WORKFLOW_PLACEHOLDER)
		.replace(DEFAULT_PORT_PATTERN, `$1:${context.port}/`);
	const adapted = JSON.parse(text);
	for (const node of adapted.nodes) {
		if (node.credentials?.optimizedAiApi) node.credentials.optimizedAiApi = { ...context.credential };
		if (node.credentials?.httpHeaderAuth && context.writeKey) node.credentials.httpHeaderAuth = { id: context.writeKey.id, name: context.writeKey.name };
		if (node.credentials?.n8nApi && context.n8nApi) node.credentials.n8nApi = { id: context.n8nApi.id, name: context.n8nApi.name };
		if (context.defaultModel && typeof node.parameters?.model === 'string') {
			node.parameters.model = node.parameters.model.replace(EXAMPLE_MODEL, context.defaultModel);
		}
		// A Model picked from the list (Optimized Chat Model, Optimized AI Call 1.1) holds the ID as its value.
		if (context.defaultModel && node.parameters?.model?.value === EXAMPLE_MODEL) {
			node.parameters.model = { ...node.parameters.model, value: context.defaultModel };
		}
	}
	return adapted;
}

/**
 * Creates and publishes every example (the batch sub-workflow first); returns them by file name. Pass `writeKey`
 * (from {@link createExampleWriteKey}): n8n refuses to publish a webhook whose credential does not exist. The n8n
 * API credential of Analyze Executions is created here (with an API key) unless `n8nApi` is given.
 */
export async function publishExamples(
	n8n: N8nInstance,
	credential: ExampleCredential,
	options: Pick<AdaptContext, 'defaultModel' | 'writeKey' | 'n8nApi'> & {
		/** Examples this n8n cannot publish (e.g. one whose n8n nodes it lacks), left out. */
		skipFiles?: string[];
	} = {},
): Promise<Map<string, PublishedExample>> {
	const port = Number(new URL(n8n.baseUrl).port);
	if (options.n8nApi === undefined && exampleFiles().some((file) => JSON.stringify(readExample(file)).includes('"n8nApi"'))) {
		const { id, name } = await createN8nApiCredential(n8n);
		options = { ...options, n8nApi: { id, name } };
	}
	const published = new Map<string, PublishedExample>();
	const publish = async (file: string, subWorkflowId?: string) => {
		const workflow = adaptExample(readExample(file), { credential, subWorkflowId, port, ...options });
		const id = await publishWorkflow(n8n, workflow);
		const webhooks = workflow.nodes
			.filter((node: any) => node.type === 'n8n-nodes-base.webhook')
			.map((node: any) => ({ method: node.parameters.httpMethod ?? 'GET', path: node.parameters.path }));
		published.set(file, { file, id, name: workflow.name, webhooks });
		return id;
	};
	const subWorkflowId = await publish(SUB_WORKFLOW_FILE);
	for (const file of exampleFiles()) {
		if (file !== SUB_WORKFLOW_FILE && !options.skipFiles?.includes(file)) await publish(file, subWorkflowId);
	}
	return published;
}
