import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { loadChatModelSupport } from '../../../nodes/OptimizedChatModel/actions/loadChatModelSupport';

const node: INode = { id: 'm1', name: 'Optimized Chat Model', type: 'n8n-nodes-perf-optimizer.optimizedChatModel', typeVersion: 1, position: [0, 0], parameters: {} };

/** What Node's require throws on an n8n whose install has no @n8n/ai-node-sdk. */
function moduleNotFound(name: string): Error {
	return Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- /n8n/nodes/OptimizedChatModel.node.js`), { code: 'MODULE_NOT_FOUND' });
}

describe('Optimized Chat Model on an n8n without @n8n/ai-node-sdk', () => {
	afterEach(() => {
		jest.dontMock('@n8n/ai-node-sdk');
		jest.resetModules();
	});

	it('still loads as a node (so the package loads), and says at run time which n8n it needs', async () => {
		let loaded: typeof import('../../../nodes/OptimizedChatModel/OptimizedChatModel.node') | undefined;
		let load: typeof loadChatModelSupport | undefined;
		jest.isolateModules(() => {
			jest.doMock('@n8n/ai-node-sdk', () => {
				throw moduleNotFound('@n8n/ai-node-sdk');
			});
			loaded = require('../../../nodes/OptimizedChatModel/OptimizedChatModel.node');
			load = require('../../../nodes/OptimizedChatModel/actions/loadChatModelSupport').loadChatModelSupport;
		});
		const chatModel = new loaded!.OptimizedChatModel();
		expect(chatModel.description.name).toBe('optimizedChatModel');
		const failure = await load!(node).then(
			() => undefined,
			(error: Error) => error,
		);
		expect(failure).toBeInstanceOf(Error);
		expect(failure?.constructor.name).toBe(NodeOperationError.name);
		expect(failure?.message).toBe(
			'Optimized Chat Model needs n8n 2.16 or later: this n8n does not ship @n8n/ai-node-sdk, through which AI Agent and chains use a model from a community package',
		);
	});

	it('names the exports an older SDK lacks instead of failing with "is not a function"', async () => {
		const support = jest.fn();
		const failure = await loadChatModelSupport(node, { sdk: async () => ({ BaseChatModel: class {}, getParametersJsonSchema: () => ({}) }), support }).catch((error: Error) => error);
		expect(failure).toBeInstanceOf(NodeOperationError);
		expect((failure as Error).message).toBe("Optimized Chat Model needs a newer n8n: this n8n's @n8n/ai-node-sdk lacks supplyModel");
		expect(support).not.toHaveBeenCalled();
	});

	it('passes on any other load failure unchanged', async () => {
		const broken = new SyntaxError('Unexpected token');
		await expect(loadChatModelSupport(node, { sdk: async () => Promise.reject(broken), support: jest.fn() })).rejects.toBe(broken);
		const otherModule = moduleNotFound('some-dependency');
		await expect(loadChatModelSupport(node, { sdk: async () => Promise.reject(otherModule), support: jest.fn() })).rejects.toBe(otherModule);
	});

	it('loads the model supplier where the SDK is present', async () => {
		const { supplyChatModel } = await loadChatModelSupport(node);
		expect(typeof supplyChatModel).toBe('function');
	});
});
