import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The first n8n release whose install ships `@n8n/ai-node-sdk` (n8n's own dependency since then). */
export const FIRST_N8N_WITH_AI_NODE_SDK = '2.16';

/** What this node takes from the SDK at run time; an older SDK without one of them cannot serve it. */
const SDK_EXPORTS_USED = ['BaseChatModel', 'supplyModel', 'getParametersJsonSchema'] as const;

type ChatModelSupport = typeof import('./supplyChatModel');
type SdkModule = Record<string, unknown>;

export interface ChatModelSupportLoaders {
	sdk: () => Promise<SdkModule>;
	support: () => Promise<ChatModelSupport>;
}

const fromThisN8n: ChatModelSupportLoaders = {
	sdk: async () => (await import('@n8n/ai-node-sdk')) as unknown as SdkModule,
	support: async () => await import('./supplyChatModel'),
};

/**
 * The model-supplying half of Optimized Chat Model, loaded on first use rather than with the node: n8n loads a
 * package's nodes all at once and a node whose module fails to load takes the whole package down, so on an n8n
 * without `@n8n/ai-node-sdk` (1.x, 2.0 to 2.15) the other four nodes still load and this one says what it needs.
 */
export async function loadChatModelSupport(node: INode, loaders: ChatModelSupportLoaders = fromThisN8n): Promise<ChatModelSupport> {
	let sdk: SdkModule;
	try {
		sdk = await loaders.sdk();
	} catch (error) {
		if (!isMissingModule(error, '@n8n/ai-node-sdk')) throw error;
		throw new NodeOperationError(
			node,
			`Optimized Chat Model needs n8n ${FIRST_N8N_WITH_AI_NODE_SDK} or later: this n8n does not ship @n8n/ai-node-sdk, through which AI Agent and chains use a model from a community package`,
			{ description: 'Optimized AI Call works on this n8n: call it from the workflow instead of the AI Agent, or upgrade n8n.' },
		);
	}
	const missing = SDK_EXPORTS_USED.filter((name) => typeof sdk[name] !== 'function');
	if (missing.length > 0) {
		throw new NodeOperationError(
			node,
			`Optimized Chat Model needs a newer n8n: this n8n's @n8n/ai-node-sdk lacks ${missing.join(', ')}`,
			{ description: 'Optimized AI Call works on this n8n: call it from the workflow instead of the AI Agent, or upgrade n8n.' },
		);
	}
	return await loaders.support();
}

function isMissingModule(error: unknown, name: string): boolean {
	const facts = error as { code?: string; message?: string };
	return (facts?.code === 'MODULE_NOT_FOUND' || facts?.code === 'ERR_MODULE_NOT_FOUND') && String(facts.message).includes(`'${name}'`);
}
