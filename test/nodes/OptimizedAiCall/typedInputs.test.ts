import type { LlmStub } from '../../helpers/llmStub';
import { useLlmStub } from './useStub';
import { aiHarness, aiWorkflow } from './aiWorkflow';

describe('Optimized AI Call: typed inputs', () => {
	const stubHolder = useLlmStub();
	let stub: LlmStub;
	beforeEach(() => {
		stub = stubHolder.current;
	});

	it('sends numbers and booleans given as the prompt as their text', async () => {
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(aiWorkflow({}), { input: [{ prompt: 12345 }, { prompt: true }, { prompt: 0 }] });
		expect(result.status).toBe('success');
		expect(result.json('Ask').map((item) => item.text)).toEqual(['echo: 12345', 'echo: true', 'echo: 0']);
	});

	it.each([
		[{ a: 1 }, 'an object'],
		[[1, 2], 'an array'],
	])('refuses %j as the prompt, naming the item, the field and the type, and sends nothing', async (prompt, type) => {
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(aiWorkflow({}), { input: [{ prompt }] });
		expect(result.status).toBe('error');
		expect(result.nodeError('Ask')).toBe(`Item 0: 'User Prompt' must be text, got ${type}`);
		expect(stub.requests).toHaveLength(0);
	});

	it('still calls an empty or missing prompt empty', async () => {
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(aiWorkflow({}, { continueOnFail: true }), { input: [{ prompt: null }, {}] });
		expect(result.json('Ask').map((item) => item.error)).toEqual(["Item 0: 'User Prompt' is empty", "Item 1: 'User Prompt' is empty"]);
	});

	it('refuses an object as system prompt or stop sequence instead of sending "[object Object]"', async () => {
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(
			aiWorkflow({ systemPrompt: '={{ $json.system }}', requestOptions: { stop: '={{ $json.stop }}' } }, { continueOnFail: true }),
			{ input: [{ prompt: 'a', system: { role: 'x' } }, { prompt: 'b', stop: [{ a: 1 }] }] },
		);
		expect(result.json('Ask').map((item) => item.error)).toEqual([
			"Item 0: 'System Prompt' must be text, got an object",
			"Item 1: 'Stop Sequences' entry 0 must be text, got an object",
		]);
		expect(stub.requests).toHaveLength(0);
	});

	it('with continue-on-fail, a bad node setting gives every item its error instead of passing the input on', async () => {
		const { harness } = aiHarness(stub.url);
		const result = await harness.run(aiWorkflow({ optimization: { maxConcurrency: 0 } }, { continueOnFail: true }), {
			input: [{ prompt: 'a' }, { prompt: 'b' }],
		});
		expect(result.status).toBe('success');
		const items = result.items('Ask');
		expect(items.map((item) => item.json)).toEqual([0, 1].map(() => ({ error: expect.stringMatching(/^'Max Parallel Requests' must be a whole number from 1 to 100, got 0$/), errorClass: 'validation' })));
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});
