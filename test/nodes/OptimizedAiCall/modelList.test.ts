import { NodeHelpers, NodeOperationError, type ICredentialDataDecryptedObject, type ILoadOptionsFunctions, type INode, type ISupplyDataFunctions } from 'n8n-workflow';
import { OptimizedAiCall } from '../../../nodes/OptimizedAiCall/OptimizedAiCall.node';
import { modelIdFrom, readModelId, searchModels } from '../../../nodes/shared/modelList';
import { STUB_MODELS, type LlmStub } from '../../helpers/llmStub';
import { rejectionOf, thrownError } from '../../helpers/thrownError';
import { aiHarness, aiWorkflow, prompts, STUB_KEY } from './aiWorkflow';
import { useLlmStub } from './useStub';

const node: INode = {
	id: 'a',
	name: 'Ask',
	type: 'n8n-nodes-perf-optimizer.optimizedAiCall',
	typeVersion: 1.1,
	position: [0, 0],
	parameters: {},
	credentials: { optimizedAiApi: { id: 'c', name: 'Stub' } },
};

/** What n8n hands a list-search method: the node and its decrypted credential. */
function loadOptionsContext(credential: ICredentialDataDecryptedObject): ILoadOptionsFunctions {
	const context: Partial<ILoadOptionsFunctions> = {
		getNode: () => node,
		getCredentials: (async (type: string) => {
			if (type !== 'optimizedAiApi') throw new Error(`unexpected credential type ${type}`);
			return credential;
		}) as ILoadOptionsFunctions['getCredentials'],
	};
	return context as ILoadOptionsFunctions;
}

/** The Model a node of `typeVersion` gets when it is added to a workflow. */
function defaultModelOf(typeVersion: number): unknown {
	const { description } = new OptimizedAiCall();
	const parameters = NodeHelpers.getNodeParameters(description.properties, {}, true, false, { ...node, typeVersion }, description);
	return parameters?.model;
}

describe('Optimized AI Call: the Model picked from the provider list', () => {
	const stubHolder = useLlmStub();
	let stub: LlmStub;
	beforeEach(() => {
		stub = stubHolder.current;
	});
	const sentModels = () => stub.requests.filter((request) => request.method === 'POST').map((request) => request.body.model);

	it('is version 1.1 for new nodes, and keeps the text field on version 1', () => {
		const { description } = new OptimizedAiCall();
		expect(description.defaultVersion).toBe(1.1);
		expect(description.version).toEqual([1, 1.1]);
		expect(defaultModelOf(1)).toBe('gpt-4o-mini');
		expect(defaultModelOf(1.1)).toMatchObject({ mode: 'list', value: 'gpt-4o-mini' });
		expect(new OptimizedAiCall().methods.listSearch.searchModels).toBe(searchModels);
	});

	it('calls the model picked from the list', async () => {
		const { harness } = aiHarness(stub.url);
		const model = { __rl: true, mode: 'list', value: 'gpt-4o', cachedResultName: 'gpt-4o' };
		const result = await harness.run(aiWorkflow({ model }, { typeVersion: 1.1 }), { input: prompts('hello') });
		expect(result.status).toBe('success');
		expect(result.json('Ask')[0]).toMatchObject({ text: 'echo: hello', optimization: { model: 'gpt-4o' } });
		expect(sentModels()).toEqual(['gpt-4o']);
	});

	it('calls a model typed as an ID, an expression per item included, on Anthropic too', async () => {
		const { harness } = aiHarness(stub.url);
		const model = { __rl: true, mode: 'id', value: '={{ $json.model }}' };
		const result = await harness.run(aiWorkflow({ model }, { typeVersion: 1.1, credentialId: 'anthropic' }), {
			input: [
				{ prompt: 'one', model: 'claude-sonnet-4-0' },
				{ prompt: 'two', model: ' claude-3-5-haiku-latest ' },
			],
		});
		expect(result.json('Ask').map((item) => (item.optimization as { model: string }).model)).toEqual(['claude-sonnet-4-0', 'claude-3-5-haiku-latest']);
		expect(sentModels()).toEqual(['claude-sonnet-4-0', 'claude-3-5-haiku-latest']);
	});

	it('uses the default model when a version 1.1 node leaves the Model untouched', async () => {
		const { harness } = aiHarness(stub.url);
		const workflow = aiWorkflow({}, { typeVersion: 1.1 });
		delete workflow.nodes[1].parameters.model;
		const result = await harness.run(workflow, { input: prompts('hi') });
		expect(result.json('Ask')[0]).toMatchObject({ text: 'echo: hi', optimization: { model: 'gpt-4o-mini' } });
	});

	it('names the item and the Model when the ID is empty, on either version', async () => {
		const { harness } = aiHarness(stub.url);
		const empty = { __rl: true, mode: 'id', value: '={{ $json.model }}' };
		const current = await harness.run(aiWorkflow({ model: empty }, { typeVersion: 1.1, continueOnFail: true }), {
			input: [{ prompt: 'a', model: 'gpt-4o' }, { prompt: 'b', model: '  ' }],
		});
		expect(current.json('Ask')[0]).toMatchObject({ text: 'echo: a', optimization: { model: 'gpt-4o' } });
		expect(current.json('Ask')[1]).toMatchObject({ error: "Item 1: 'Model' is empty", errorClass: 'validation' });

		const first = await harness.run(aiWorkflow({ model: '={{ $json.model }}' }), { input: [{ prompt: 'a', model: '' }] });
		expect(first.nodeError('Ask')).toBe("Item 0: 'Model' is empty");
		expect(sentModels()).toEqual(['gpt-4o']);
	});

	it('keeps running version 1 workflows with their text Model', async () => {
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(aiWorkflow({ model: '={{ $json.model }}' }), { input: [{ prompt: 'old', model: 'gpt-4o' }] });
		expect(result.json('Ask')[0]).toMatchObject({ text: 'echo: old', optimization: { model: 'gpt-4o' } });
	});

	it('refuses a model ID that is not text', () => {
		const fail = (problem: string) => new Error(`'Model' ${problem}`);
		expect(() => modelIdFrom({ __rl: true, mode: 'id', value: { id: 'x' } }, fail)).toThrow("'Model' must be text, got an object");
		expect(modelIdFrom({ __rl: true, mode: 'list', value: 'gpt-4o' }, fail)).toBe('gpt-4o');
		expect(modelIdFrom('gpt-4o ', fail)).toBe('gpt-4o');
	});

	it('reads the model ID straight from n8n for nodes without per-item parameter caching', () => {
		const contextWith = (model: unknown): Pick<ISupplyDataFunctions, 'getNode' | 'getNodeParameter'> => ({
			getNode: () => node,
			getNodeParameter: ((name: string) => (name === 'model' ? model : undefined)) as ISupplyDataFunctions['getNodeParameter'],
		});
		expect(readModelId(contextWith({ __rl: true, mode: 'list', value: 'claude-sonnet-4-6' }), 0)).toBe('claude-sonnet-4-6');
		const error = thrownError(NodeOperationError, () => readModelId(contextWith({ __rl: true, mode: 'id', value: '' }), 2));
		expect(error.message).toBe("Item 2: 'Model' is empty");
	});

	describe('searchModels', () => {
		const openAi = () => ({ provider: 'openAiCompatible', baseUrl: `${stub.url}/v1`, apiKey: STUB_KEY });

		it("lists the credential's models, sorted, with the ID as the value", async () => {
			const { results } = await searchModels.call(loadOptionsContext(openAi()));
			expect(results).toEqual([...STUB_MODELS].sort().map((id) => ({ name: id, value: id })));
			expect(stub.requests[0].headers.authorization).toBe(`Bearer ${STUB_KEY}`);
		});

		it('keeps the models whose ID or name contains the filter, in any case', async () => {
			const anthropic = loadOptionsContext({ provider: 'anthropic', baseUrl: stub.url, apiKey: STUB_KEY });
			expect((await searchModels.call(anthropic, 'SONNET')).results).toEqual([{ name: 'Claude Sonnet 4 0', value: 'claude-sonnet-4-0' }]);
			expect((await searchModels.call(anthropic, 'haiku latest')).results.map((result) => result.value)).toEqual(['claude-3-5-haiku-latest']);
			expect((await searchModels.call(anthropic, 'no-such-model')).results).toEqual([]);
		});

		it('names the credential when the provider refuses the key, without showing it', async () => {
			const wrongKey = 'sk-wrong-key-987654321';
			const error = await rejectionOf(NodeOperationError, searchModels.call(loadOptionsContext({ ...openAi(), apiKey: wrongKey })));
			expect(error.message).toMatch(/^Could not load the models with the Optimized AI API credential: The AI provider returned HTTP 401/);
			expect(error.description).toContain("choose 'ID'");
			expect(`${error.message} ${error.description}`).not.toContain(wrongKey);
		});

		it('names the credential when the provider cannot be reached', async () => {
			const error = await rejectionOf(NodeOperationError, searchModels.call(loadOptionsContext({ ...openAi(), baseUrl: 'http://127.0.0.1:9/v1' })));
			expect(error.message).toMatch(/^Could not load the models with the Optimized AI API credential: The AI provider could not be reached/);
		});

		it("names the credential's field when the credential itself cannot work", async () => {
			const error = await rejectionOf(NodeOperationError, searchModels.call(loadOptionsContext({ ...openAi(), baseUrl: 'ftp://models' })));
			expect(error.message).toContain("The Optimized AI API credential's 'Base URL' must start with http:// or https://");
			expect(stub.requests).toHaveLength(0);
		});
	});
});
